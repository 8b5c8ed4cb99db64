package dev.canalboot.internal.binlog.schema;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static dev.canalboot.internal.binlog.schema.SchemaHistoryResumeIT.entry;
import static dev.canalboot.internal.binlog.schema.SchemaHistoryResumeIT.poll;
import static dev.canalboot.internal.binlog.schema.SchemaHistoryResumeIT.rowsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts without a stored history at a position before the DDL, and DDL the parser does not understand: rows are
 * decoded with the shape they were written with, or the source stops naming the statement and the way out (which
 * then works). Never a row under a guessed shape.
 */
class SchemaHistoryStartIT {

    enum Server {
        MYSQL_MINIMAL(false), MYSQL_FULL(true), MARIADB_NO_LOG(false), MARIADB_FULL(true);

        final boolean names;

        Server(boolean names) {
            this.names = names;
        }

        boolean mariaDb() {
            return name().startsWith("MARIADB");
        }
    }

    @TempDir
    Path checkpoints;

    /** The server, with the row metadata of {@code s}; MariaDB's shared server is switched to NO_LOG and back by {@link #restore}. */
    private static EmbeddedDatabase server(Server s) {
        return switch (s) {
            case MYSQL_MINIMAL -> TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withRowMetadata(RowMetadata.MINIMAL));
            case MYSQL_FULL -> TestServers.mysql();
            case MARIADB_NO_LOG -> {
                EmbeddedDatabase m = TestServers.mariadb();
                m.execute("SET GLOBAL binlog_row_metadata = NO_LOG");
                yield m;
            }
            case MARIADB_FULL -> TestServers.mariadb();
        };
    }

    private static void restore(Server s, EmbeddedDatabase server) {
        if (s == Server.MARIADB_NO_LOG) {
            server.execute("SET GLOBAL binlog_row_metadata = FULL");
        }
    }

    private static long serverId(Server s, int test) {
        return 7200 + 10L * test + s.ordinal();
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void earlierStartWithoutHistoryDecodesTablesCreatedOrUnchangedSince(Server which) throws Exception {
        EmbeddedDatabase server = server(which);
        try {
            String db = "schema_start_a_" + which.name().toLowerCase();
            server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".pre (id INT PRIMARY KEY, a VARCHAR(10))");
            StartPosition.FilePosition start = binlogEnd(server);
            server.execute("INSERT INTO " + db + ".pre VALUES (1, 'p1')",
                    "CREATE TABLE " + db + ".born (id INT PRIMARY KEY, a VARCHAR(10))",
                    "INSERT INTO " + db + ".born VALUES (1, 'b1')",
                    "ALTER TABLE " + db + ".born RENAME COLUMN a TO a2",
                    "INSERT INTO " + db + ".born VALUES (2, 'b2')",
                    "INSERT INTO " + db + ".pre VALUES (2, 'p2')");
            BinlogSourceSettings settings = SchemaHistoryResumeIT.settings(server, serverId(which, 1)).toBuilder()
                    .start(start).build();
            List<RowChange> rows;
            try (BinlogChangeSource source = new BinlogChangeSource(settings)) {
                source.start();
                rows = rows(poll(source, rowsOf(4)));
            }
            assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 1), entry("a", "p1"));
            assertThat(rows.get(1).after().toMap()).containsExactly(entry("id", 1), entry("a", "b1"));
            assertThat(rows.get(2).after().toMap()).containsExactly(entry("id", 2), entry("a2", "b2"));
            assertThat(rows.get(3).after().toMap()).containsExactly(entry("id", 2), entry("a", "p2"));
        } finally {
            restore(which, server);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void tableChangedSinceAnEarlierStartStopsWithoutNamesAndTheWayOutWorks(Server which) throws Exception {
        EmbeddedDatabase server = server(which);
        try {
            String db = "schema_start_b_" + which.name().toLowerCase();
            server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".chg (id INT PRIMARY KEY, a VARCHAR(10))");
            StartPosition.FilePosition start = binlogEnd(server);
            server.execute("INSERT INTO " + db + ".chg VALUES (1, 'c1')",
                    "ALTER TABLE " + db + ".chg RENAME COLUMN a TO a2");
            StartPosition.FilePosition afterDdl = binlogEnd(server);
            server.execute("INSERT INTO " + db + ".chg VALUES (2, 'c2')");
            BinlogSourceSettings settings = SchemaHistoryResumeIT.settings(server, serverId(which, 2)).toBuilder()
                    .start(start).build();
            if (which.names) {
                List<RowChange> rows;
                try (BinlogChangeSource source = new BinlogChangeSource(settings)) {
                    source.start();
                    rows = rows(poll(source, rowsOf(2)));
                }
                assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 1), entry("a", "c1"));
                assertThat(rows.get(1).after().toMap()).containsExactly(entry("id", 2), entry("a2", "c2"));
                return;
            }
            try (BinlogChangeSource source = new BinlogChangeSource(settings)) {
                source.start();
                SourceException stop = pollUntilFailure(source);
                assertThat(stop.getMessage()).contains("chg").contains("RENAME COLUMN a TO a2")
                        .contains("binlog_row_metadata=FULL").contains("start it at a position after");
            }
            // The way out: start after the statement named.
            try (BinlogChangeSource source = new BinlogChangeSource(settings.toBuilder().start(afterDdl).build())) {
                source.start();
                List<RowChange> rows = rows(poll(source, rowsOf(1)));
                assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 2), entry("a2", "c2"));
            }
        } finally {
            restore(which, server);
        }
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void ddlTheParserRejectsIsReadAgainWhenProvablyRightElseStops(Server which) throws Exception {
        EmbeddedDatabase server = server(which);
        try {
            String db = "schema_start_c_" + which.name().toLowerCase();
            // Valid on the server, refused by the parser: a table option of MySQL 8.0.23+, MariaDB's lock wait.
            String addV = rejected(which, db, "v");
            String addW = rejected(which, db, "w");
            assertThatThrownBy(() -> DdlParser.parse(addW)).isInstanceOf(UnparseableDdlException.class);
            server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".u (id INT PRIMARY KEY, a VARCHAR(10))");
            FileCheckpointStore store = new FileCheckpointStore(checkpoints);
            BinlogSourceSettings settings = SchemaHistoryResumeIT.settings(server, serverId(which, 3));
            try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                server.execute("INSERT INTO " + db + ".u VALUES (0, 'x')");
                poll(source, rowsOf(1));
            }
            // Nothing changes the table after the rejected statement: it is read again from the server.
            server.execute(addV, "INSERT INTO " + db + ".u (id, a, v) VALUES (1, 'u1', 5)");
            try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                List<RowChange> rows = rows(poll(source, rowsOf(1)));
                assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 1), entry("a", "u1"), entry("v", 5));
            }
            // A later change of the table: the rows in between cannot be decoded without names.
            server.execute(addW, "INSERT INTO " + db + ".u (id, a, v, w) VALUES (2, 'u2', 6, 7)",
                    "ALTER TABLE " + db + ".u ADD COLUMN z INT");
            StartPosition.FilePosition afterDdl = binlogEnd(server);
            server.execute("INSERT INTO " + db + ".u (id, a, v, w, z) VALUES (3, 'u3', 8, 9, 10)");
            try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                if (which.names) {
                    List<RowChange> rows = rows(poll(source, rowsOf(2)));
                    assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 2), entry("a", "u2"),
                            entry("v", 6), entry("w", 7));
                    assertThat(rows.get(1).after().toMap()).containsExactly(entry("id", 3), entry("a", "u3"),
                            entry("v", 8), entry("w", 9), entry("z", 10));
                    return;
                }
                SourceException stop = pollUntilFailure(source);
                assertThat(stop.getMessage()).contains(db + ".u").contains(addW)
                        .contains("the statement at " + afterDdl.file() + ":").contains("could not be applied")
                        .contains("Ways out").contains("start it at a position after");
            }
            store.delete(settings.name());
            try (BinlogChangeSource source = new BinlogChangeSource(settings.toBuilder().start(afterDdl).build(), store,
                    CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                List<RowChange> rows = rows(poll(source, rowsOf(1)));
                assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 3), entry("a", "u3"),
                        entry("v", 8), entry("w", 9), entry("z", 10));
            }
        } finally {
            restore(which, server);
        }
    }

    /** A statement adding column {@code column} to {@code db.u} that the server runs and the DDL parser refuses. */
    static String rejected(Server which, String db, String column) {
        return which.mariaDb() ? "ALTER TABLE " + db + ".u WAIT 1 ADD COLUMN " + column + " INT"
                : "ALTER TABLE " + db + ".u ADD COLUMN " + column + " INT, AUTOEXTEND_SIZE=4M";
    }

    static List<RowChange> rows(List<ChangeEvent> events) {
        return events.stream().filter(RowChange.class::isInstance).map(RowChange.class::cast).toList();
    }

    static SourceException pollUntilFailure(BinlogChangeSource source) throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < guard) {
            try {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch != null) {
                    assertThat(rows(batch.events())).as("rows delivered before the stop").isEmpty();
                    source.ack(batch);
                }
            } catch (SourceException e) {
                return e;
            }
        }
        throw new AssertionError("the source did not stop");
    }

    static StartPosition.FilePosition binlogEnd(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement st = c.createStatement()) {
            // MySQL 8.4 knows only SHOW BINARY LOG STATUS; MariaDB 11.4 and MySQL 8.0 know SHOW MASTER STATUS.
            String sql = c.getMetaData().getDatabaseProductVersion().startsWith("8.0")
                    || c.getMetaData().getDatabaseProductVersion().contains("MariaDB")
                    ? "SHOW MASTER STATUS" : "SHOW BINARY LOG STATUS";
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new StartPosition.FilePosition(rs.getString(1), rs.getLong(2));
            }
        }
    }

}
