package dev.canalboot.listener;

import dev.canalboot.model.ChangeType;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method (or a bean implementing {@link RowHandler}) as a receiver of changes.
 * <p>
 * <b>Tables.</b> Each {@code table} value is one pattern, matched against {@code schema.table}:
 * <ul>
 *   <li>{@code shop.orders} — exactly that table (case-insensitive, as MySQL names usually are);</li>
 *   <li>{@code shop.*}, {@code shop.order_*}, {@code *.audit} — {@code *} stands for any run of characters
 *       within the schema or the table part (never across the dot);</li>
 *   <li>{@code regex:shop\.order_\d+} — a Java regular expression that must match the whole
 *       {@code schema.table} (case-sensitive unless it says {@code (?i)}).</li>
 * </ul>
 * A value that resolves from a {@code ${...}} placeholder to a comma-separated list gives several
 * patterns (except a {@code regex:} value, which is taken whole).
 * <p>
 * <b>Parameters.</b> A row listener may declare, in any order: {@link dev.canalboot.model.RowChange},
 * {@link dev.canalboot.model.ChangeType}, {@link dev.canalboot.model.SourcePosition},
 * {@link dev.canalboot.model.TableSchema}, and the row image as {@link dev.canalboot.model.Row},
 * {@code Map<String, Object>} or a POJO/record mapped by column name (see {@link CanalColumn}). The image
 * is the after image, or the before image of a DELETE; {@link BeforeImage} / {@link AfterImage} pick one
 * explicitly (two POJO parameters of an update must say which is which).
 * A batch listener declares a single {@code List<RowChange>} (or {@code List<Row>}, {@code List<Map>},
 * {@code List<Pojo>}) and receives all matching rows of one batch in one call, after the row listeners
 * of that batch. A method declaring a {@link dev.canalboot.model.SchemaChange} receives DDL of the
 * matching tables (DDL without a table goes to listeners whose patterns can match its schema); one
 * declaring a {@link dev.canalboot.model.TransactionBoundary} receives BEGIN/COMMIT of its source. Row
 * listeners never see those.
 * <p>
 * Every attribute may use {@code ${...}} placeholders, resolved from the Environment at start-up.
 * A misdeclared listener fails start-up with a {@link ListenerDeclarationException}.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CanalListener {

    /** Endpoint id, used in logs, metrics and the actuator; defaults to {@code beanName#method}. */
    String id() default "";

    /** Table patterns ({@code schema.table}, {@code *} wildcards, {@code regex:} prefix); at least one. */
    String[] table();

    /** Which row change types to receive; empty means all. Placeholders resolve to a type name. */
    ChangeType[] events() default {};

    /**
     * Same as {@link #events()} but as text (for placeholders): names such as {@code INSERT,UPDATE};
     * combined with {@link #events()} when both are given.
     */
    String eventTypes() default "";

    /** Name of the source ({@code ChangeSource#name()}); empty means the only configured source. */
    String source() default "";
}
