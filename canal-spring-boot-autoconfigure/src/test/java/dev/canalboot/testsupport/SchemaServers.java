package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The schema-history tests' fixture: every server and row-metadata combination issue 15 names, on the shared
 * {@link TestServers}, and the binlog-source settings and poll helpers those tests use.
 */
public final class SchemaServers {

    /** A deadline for waiting on a source: generous, a loaded 2-core machine must meet it. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * A server and its row metadata. The MINIMAL MySQL 8.0 is a server of its own; the newest MySQL and MariaDB
     * run with FULL metadata and are switched for the length of {@link #run}.
     */
    public enum Server {
        MYSQL_MINIMAL, MYSQL_FULL, MARIADB_NO_LOG, MARIADB_FULL, MYSQL_NEWEST_MINIMAL, MYSQL_NEWEST_FULL;

        public boolean mariaDb() {
            return name().startsWith("MARIADB");
        }

        /** Whether table maps carry column names (FULL metadata). */
        public boolean names() {
            return name().endsWith("FULL");
        }

        /** The server, without switching its metadata (see {@link #run}). */
        public EmbeddedDatabase database() {
            return switch (this) {
                case MYSQL_MINIMAL -> TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withRowMetadata(RowMetadata.MINIMAL));
                case MYSQL_FULL -> TestServers.mysql();
                case MARIADB_NO_LOG, MARIADB_FULL -> TestServers.mariadb();
                case MYSQL_NEWEST_MINIMAL, MYSQL_NEWEST_FULL -> TestServers.newestMySql();
            };
        }

        private boolean switched() {
            return this == MARIADB_NO_LOG || this == MYSQL_NEWEST_MINIMAL;
        }

        /** Runs {@code body} on the server with this row metadata, and sets a switched server back to FULL after. */
        public void run(Body body) throws Exception {
            EmbeddedDatabase server = database();
            if (switched()) {
                server.execute("SET GLOBAL binlog_row_metadata = " + (mariaDb() ? "NO_LOG" : "MINIMAL"));
            }
            try {
                body.run(server);
            } finally {
                if (switched()) {
                    server.execute("SET GLOBAL binlog_row_metadata = FULL");
                }
            }
        }
    }

    /** A test body that runs against a server. */
    @FunctionalInterface
    public interface Body {
        void run(EmbeddedDatabase server) throws Exception;
    }

    private SchemaServers() {
    }

    /** Settings of a binlog source on {@code server} as the first of its users, named after its replica id. */
    public static BinlogSourceSettings settings(EmbeddedDatabase server, long serverId) {
        DatabaseUser user = server.users().get(0);
        return BinlogSourceSettings.builder("schema-" + serverId, server.host(), server.port(), user.name(),
                        user.password()).tls(TlsSettings.DISABLED).serverId(serverId)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10)).build();
    }

    /** At least {@code n} row events, of any schema. */
    public static Predicate<List<ChangeEvent>> rowsOf(int n) {
        return events -> events.stream().filter(RowChange.class::isInstance).count() >= n;
    }

    /** At least {@code n} row events of schema {@code db}. */
    public static Predicate<List<ChangeEvent>> rowsOf(String db, int n) {
        return events -> events.stream().filter(e -> e instanceof RowChange r && r.schema().equals(db)).count() >= n;
    }

    /** Polls (and acks) until {@code done} holds for the events so far; fails after a minute naming what came. */
    public static List<ChangeEvent> poll(BinlogChangeSource source, Predicate<List<ChangeEvent>> done)
            throws InterruptedException {
        return poll(source, done, true);
    }

    /** As {@link #poll(BinlogChangeSource, Predicate)}; without {@code ack} the checkpoint stays where it was. */
    public static List<ChangeEvent> poll(BinlogChangeSource source, Predicate<List<ChangeEvent>> done, boolean ack)
            throws InterruptedException {
        List<ChangeEvent> events = new ArrayList<>();
        long guard = System.nanoTime() + WAIT.toNanos();
        while (!done.test(events)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("Gave up waiting; events so far: " + events);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                events.addAll(batch.events());
                if (ack) {
                    source.ack(batch);
                }
            }
        }
        return events;
    }

    /** Polls until the source fails, asserting no row came before; returns the failure. */
    public static SourceException pollUntilFailure(BinlogChangeSource source) throws InterruptedException {
        long guard = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < guard) {
            try {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch != null) {
                    if (!rows(batch.events()).isEmpty()) {
                        throw new AssertionError("rows delivered before the stop: " + rows(batch.events()));
                    }
                    source.ack(batch);
                }
            } catch (SourceException e) {
                return e;
            }
        }
        throw new AssertionError("the source did not stop");
    }

    public static List<RowChange> rows(List<ChangeEvent> events) {
        return events.stream().filter(RowChange.class::isInstance).map(RowChange.class::cast).toList();
    }

    /** The row events of schema {@code db}: other test classes' and checkpoint stores' writes share the binlog. */
    public static List<RowChange> rows(List<ChangeEvent> events, String db) {
        return rows(events).stream().filter(r -> r.schema().equals(db)).toList();
    }

    public static Map.Entry<String, Object> entry(String k, Object v) {
        return Map.entry(k, v);
    }

    /** The server's binlog end now: a start position before what runs next. */
    public static StartPosition.FilePosition binlogEnd(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement st = c.createStatement()) {
            // MySQL 8.4 knows only SHOW BINARY LOG STATUS; MariaDB 11.4 and MySQL 8.0 know SHOW MASTER STATUS.
            String version = c.getMetaData().getDatabaseProductVersion();
            String sql = version.startsWith("8.0") || version.contains("MariaDB") ? "SHOW MASTER STATUS"
                    : "SHOW BINARY LOG STATUS";
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new StartPosition.FilePosition(rs.getString(1), rs.getLong(2));
            }
        }
    }
}
