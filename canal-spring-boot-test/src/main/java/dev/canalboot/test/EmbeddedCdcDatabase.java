package dev.canalboot.test;

import dev.canalboot.embedded.RowMetadata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@code @SpringBootTest} against an embedded MySQL or MariaDB server: a server shared by every test
 * class of the JVM that asks for the same configuration, {@code canal.source.*} (a binlog source) and
 * {@code spring.datasource.*} pointing at it, and a start that waits until every source is streaming, so that
 * anything the test writes is delivered. The context gets two beans: the {@link TestDatabase} (SQL as the test
 * user) and a {@link ChangeRecorder} (waits for what the listeners received; none is added when the context
 * defines one).
 * <p>
 * The properties come before the application's own files and after the test's inlined properties
 * ({@code @SpringBootTest(properties = ...)}), which can therefore override them. Checkpoints default to
 * {@code canal.checkpoint.store=none}: a shared server outlives no test run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedCdcDatabase {

    /** The server. */
    CdcDatabase value() default CdcDatabase.MYSQL_8_0;

    /** MySQL {@code gtid_mode=ON} (MariaDB always writes GTIDs). */
    boolean gtid() default true;

    /** {@code binlog_row_metadata}. */
    RowMetadata rowMetadata() default RowMetadata.FULL;

    /**
     * Statements run as root before the context starts, each time a context is built for a test class: keep
     * them idempotent ({@code CREATE DATABASE IF NOT EXISTS ...}), the server is shared.
     */
    String[] initSql() default {};

    /** Default database of {@code spring.datasource.url} (none when empty). */
    String database() default "";

    /** How long the context's start waits for the sources to stream; 0 does not wait. */
    int streamingTimeoutSeconds() default 60;
}
