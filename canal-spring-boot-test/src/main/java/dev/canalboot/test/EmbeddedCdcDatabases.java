package dev.canalboot.test;

import dev.canalboot.embedded.DebianMySqlPackages;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.embedded.RowMetadata;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Servers shared by all tests of a JVM: one per {@link Spec}, started on first use and stopped when the JVM
 * exits. Shared means each test class should work in its own schema.
 */
public final class EmbeddedCdcDatabases {

    /**
     * A server configuration; equal specs share one server.
     *
     * @param gtid        GTIDs on (MySQL: {@code gtid_mode=ON}; MariaDB always writes GTIDs)
     * @param rowMetadata {@code binlog_row_metadata}
     */
    public record Spec(CdcDatabase database, boolean gtid, RowMetadata rowMetadata) {

        public static Spec of(CdcDatabase database) {
            return new Spec(database, true, RowMetadata.FULL);
        }
    }

    private static final Map<Spec, TestDatabase> SERVERS = new ConcurrentHashMap<>();

    private EmbeddedCdcDatabases() {
    }

    /** The shared server of {@code spec}, started now if it is not running yet. */
    public static TestDatabase get(Spec spec) {
        return SERVERS.computeIfAbsent(spec, s -> new TestDatabase(s.database(), start(s)));
    }

    /** The shared server with GTIDs on and full row metadata. */
    public static TestDatabase get(CdcDatabase database) {
        return get(Spec.of(database));
    }

    private static EmbeddedDatabase start(Spec spec) {
        return switch (spec.database()) {
            case MYSQL_8_0 -> EmbeddedMySql.builder().gtid(spec.gtid()).rowMetadata(spec.rowMetadata()).start();
            case NEWEST_MYSQL -> EmbeddedMySql.builder().distribution(DebianMySqlPackages.distribution())
                    .gtid(spec.gtid()).rowMetadata(spec.rowMetadata()).start();
            case MARIADB_11_4 -> EmbeddedMariaDb.builder().rowMetadata(spec.rowMetadata()).start();
        };
    }
}
