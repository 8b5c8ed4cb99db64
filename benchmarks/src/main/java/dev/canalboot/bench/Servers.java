package dev.canalboot.bench;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.embedded.RowMetadata;

/** Starts the servers a run reads from: embedded ones, or the external ones named on the command line. */
public final class Servers {

    private Servers() {
    }

    public static BenchServer start(BenchServer.Flavor flavor, BenchOptions options) {
        String external = options.external().get(flavor);
        if (external != null) {
            return external(flavor, external);
        }
        EmbeddedDatabase database = switch (flavor) {
            case MYSQL -> EmbeddedMySql.builder().rowMetadata(RowMetadata.FULL).serverOption(DURABILITY_OFF).start();
            case MARIADB -> EmbeddedMariaDb.builder().rowMetadata(RowMetadata.FULL).serverOption(DURABILITY_OFF).start();
        };
        String version = flavor == BenchServer.Flavor.MYSQL ? EmbeddedMySql.VERSION : EmbeddedMariaDb.VERSION;
        return new BenchServer(flavor, version, database.host(), database.port(), database.rootUser(),
                database.rootPassword(), database);
    }

    /**
     * No flush per commit: generation and the steady-rate latency writer are then bound by the server's CPU,
     * not by this machine's disk, which no contender is about.
     */
    private static final String[] DURABILITY_OFF = {"--sync-binlog=0", "--innodb-flush-log-at-trx-commit=2"};

    /** {@code host:port:user:password}; the version is asked from the server. */
    static BenchServer external(BenchServer.Flavor flavor, String spec) {
        String[] parts = spec.split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Expected host:port:user:password for " + flavor + ", got '" + spec + "'");
        }
        BenchServer probe = new BenchServer(flavor, "?", parts[0], Integer.parseInt(parts[1]), parts[2], parts[3], null);
        String[] version = {"?"};
        try (var connection = probe.connect()) {
            version[0] = connection.getMetaData().getDatabaseProductVersion().replaceAll("-.*", "");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot read the version of " + probe + ": " + e.getMessage(), e);
        }
        return new BenchServer(flavor, version[0], parts[0], Integer.parseInt(parts[1]), parts[2], parts[3], null);
    }
}
