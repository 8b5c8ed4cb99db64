package dev.canalboot.binlog.schema;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random migration (DDL and inserts over a few tables), read from before it began without a stored
 * history (replayed afterwards, live, or stopped half-way and resumed from the checkpoint): every row is delivered
 * with the column names, Java types and values it was written with. The oracle is
 * a SELECT of the row right after its insert. The seed is printed on failure; set -Dschema.seed=N to repeat one.
 */
class GeneratedMigrationTest {

    enum Server { MYSQL_MINIMAL, MARIADB_NO_LOG }

    private static final String[] TYPES = {"INT", "BIGINT", "VARCHAR(20)", "DECIMAL(10,2)", "DATE", "TINYINT UNSIGNED"};

    private record Col(String name, String type) {
    }

    private record Written(String table, Map<String, Object> row) {
    }

    /**
     * REPLAY: the source starts at the beginning after the migration ran. LIVE: it reads while the migration runs.
     * RESUME: it reads the first half, stops, and resumes from its checkpoint after the second half ran.
     */
    enum Mode { REPLAY, LIVE, RESUME }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return java.util.Arrays.stream(Server.values()).flatMap(s -> java.util.Arrays.stream(Mode.values())
                .map(m -> org.junit.jupiter.params.provider.Arguments.of(s, m)));
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path checkpoints;

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("cases")
    void everyRowComesAsWritten(Server which, Mode mode) throws Exception {
        long seed = Long.getLong("schema.seed", System.nanoTime());
        EmbeddedDatabase server = which == Server.MYSQL_MINIMAL
                ? TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withRowMetadata(RowMetadata.MINIMAL))
                : TestServers.mariadb();
        String db = "schema_gen_" + which.name().toLowerCase() + "_" + mode.name().toLowerCase();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement st = c.createStatement()) {
            if (which == Server.MARIADB_NO_LOG) {
                st.execute("SET GLOBAL binlog_row_metadata = NO_LOG");
            }
            try {
                st.execute("DROP DATABASE IF EXISTS " + db);
                StartPosition.FilePosition start = SchemaHistoryStartTest.binlogEnd(server);
                BinlogSourceSettings settings = SchemaHistoryResumeTest.settings(server,
                        7300 + 10L * which.ordinal() + mode.ordinal()).toBuilder().start(start).build();
                Migration migration = new Migration(st, db, new Random(seed));
                List<RowChange> rows = new ArrayList<>();
                switch (mode) {
                    case REPLAY -> {
                        migration.run(45);
                        rows.addAll(read(new BinlogChangeSource(settings), db, migration.written.size()));
                    }
                    case LIVE -> {
                        BinlogChangeSource source = new BinlogChangeSource(settings);
                        source.start();
                        migration.run(45);
                        rows.addAll(read(source, db, migration.written.size()));
                    }
                    case RESUME -> {
                        var store = new dev.canalboot.checkpoint.FileCheckpointStore(checkpoints);
                        var policy = dev.canalboot.checkpoint.CheckpointPolicy.EVERY_BATCH;
                        migration.run(25);
                        rows.addAll(read(new BinlogChangeSource(settings, store, policy), db, migration.written.size()));
                        int before = migration.written.size();
                        migration.run(25);
                        rows.addAll(read(new BinlogChangeSource(settings, store, policy), db,
                                migration.written.size() - before));
                    }
                }
                List<Written> written = migration.written;
                assertThat(rows).as("seed %d", seed).hasSize(written.size());
                for (int i = 0; i < rows.size(); i++) {
                    Written w = written.get(i);
                    RowChange r = rows.get(i);
                    assertThat(r.table()).as("seed %d, row %d", seed, i).isEqualTo(w.table());
                    Map<String, Object> got = r.after().toMap();
                    assertThat(new ArrayList<>(got.keySet())).as("seed %d, row %d of %s", seed, i, w.table())
                            .isEqualTo(new ArrayList<>(w.row().keySet()));
                    for (Map.Entry<String, Object> e : w.row().entrySet()) {
                        assertThat(got.get(e.getKey())).as("seed %d, row %d, %s.%s", seed, i, w.table(), e.getKey())
                                .isEqualTo(e.getValue());
                    }
                }
            } finally {
                if (which == Server.MARIADB_NO_LOG) {
                    st.execute("SET GLOBAL binlog_row_metadata = FULL");
                }
            }
        }
    }

    /** Starts the source (unless it runs), reads {@code count} rows of {@code db}, and closes it (saving its checkpoint). */
    private static List<RowChange> read(BinlogChangeSource source, String db, int count) throws Exception {
        try (source) {
            if (source.state() == dev.canalboot.source.SourceState.IDLE) {
                source.start();
            }
            List<ChangeEvent> events = SchemaHistoryResumeTest.poll(source, e -> e.stream()
                    .filter(x -> x instanceof RowChange r && r.schema().equals(db)).count() >= count);
            return SchemaHistoryStartTest.rows(events).stream().filter(r -> r.schema().equals(db)).toList();
        }
    }

    /** The migration, run in parts; {@link #written} holds each inserted row as a SELECT read it right after. */
    private static final class Migration {
        final Statement st;
        final String db;
        final Random random;
        final Map<String, List<Col>> tables = new LinkedHashMap<>();
        final List<Written> written = new ArrayList<>();
        int ids;
        int names = 1;

        Migration(Statement st, String db, Random random) {
            this.st = st;
            this.db = db;
            this.random = random;
        }

        void run(int steps) throws Exception {
            if (tables.isEmpty()) {
                st.execute("CREATE DATABASE " + db);
                for (int t = 0; t < 3; t++) {
                    tables.put("t" + t, new ArrayList<>(List.of(new Col("c0", "VARCHAR(20)"))));
                    st.execute("CREATE TABLE " + db + ".t" + t + " (id INT PRIMARY KEY, c0 VARCHAR(20))");
                }
            }
            step(steps);
        }

        private void step(int steps) throws Exception {
        for (int step = 0; step < steps; step++) {
            List<String> keys = new ArrayList<>(tables.keySet());
            String table = keys.get(random.nextInt(keys.size()));
            List<Col> cols = tables.get(table);
            String q = db + "." + table;
            int kind = random.nextInt(10);
            if (kind == 0 || cols.isEmpty()) {
                Col added = new Col("c" + names++, TYPES[random.nextInt(TYPES.length)]);
                int at = random.nextInt(cols.size() + 2); // 0: FIRST, 1..size: AFTER, size+1: at the end
                if (at == 0) {
                    st.execute("ALTER TABLE " + q + " ADD COLUMN " + added.name() + " " + added.type() + " FIRST");
                    cols.add(0, added); // before id: the column lists below keep id apart
                } else if (at <= cols.size()) {
                    st.execute("ALTER TABLE " + q + " ADD COLUMN " + added.name() + " " + added.type() + " AFTER "
                            + cols.get(at - 1).name());
                    cols.add(at, added);
                } else {
                    st.execute("ALTER TABLE " + q + " ADD COLUMN " + added.name() + " " + added.type());
                    cols.add(added);
                }
            } else if (kind == 1 && cols.size() > 1) {
                Col dropped = cols.remove(random.nextInt(cols.size()));
                st.execute("ALTER TABLE " + q + " DROP COLUMN " + dropped.name());
            } else if (kind == 2) {
                int i = random.nextInt(cols.size());
                Col renamed = new Col("c" + names++, cols.get(i).type());
                st.execute("ALTER TABLE " + q + " RENAME COLUMN " + cols.get(i).name() + " TO " + renamed.name());
                cols.set(i, renamed);
            } else if (kind == 3) {
                int i = random.nextInt(cols.size());
                Col old = cols.get(i);
                String wider = switch (old.type()) {
                    case "INT", "TINYINT UNSIGNED" -> "BIGINT";
                    case "VARCHAR(20)" -> "VARCHAR(60)";
                    case "DECIMAL(10,2)" -> "DECIMAL(14,4)";
                    default -> old.type();
                };
                Col changed = new Col("c" + names++, wider);
                st.execute("ALTER TABLE " + q + " CHANGE " + old.name() + " " + changed.name() + " " + wider);
                cols.set(i, changed);
            } else if (kind == 4) {
                String to = table + "_" + names++;
                st.execute("RENAME TABLE " + q + " TO " + db + "." + to);
                tables.remove(table);
                tables.put(to, cols);
            } else {
                int id = ++ids;
                StringBuilder names0 = new StringBuilder("id");
                StringBuilder values = new StringBuilder(String.valueOf(id));
                for (Col c : cols) {
                    names0.append(", ").append(c.name());
                    values.append(", ").append(value(c.type(), random));
                }
                st.execute("INSERT INTO " + q + " (" + names0 + ") VALUES (" + values + ")");
                written.add(new Written(table, select(st, q, id)));
            }
        }
        }
    }

    private static String value(String type, Random random) {
        return switch (type) {
            case "INT" -> String.valueOf(random.nextInt());
            case "BIGINT" -> String.valueOf(random.nextLong());
            case "VARCHAR(20)", "VARCHAR(60)" -> "'v" + random.nextInt(100000) + "'";
            case "DECIMAL(10,2)" -> (random.nextInt(2_000_000) - 1_000_000) + "." + random.nextInt(10) + random.nextInt(10);
            case "DECIMAL(14,4)" -> random.nextInt(1000) + ".5";
            case "DATE" -> "'" + LocalDate.of(1990 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)) + "'";
            case "TINYINT UNSIGNED" -> String.valueOf(random.nextInt(256));
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** The row as the server has it now, with the Java types the source delivers for each column's type. */
    private static Map<String, Object> select(Statement st, String table, int id) throws Exception {
        Map<String, Object> row = new LinkedHashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE id = " + id)) {
            rs.next();
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String type = meta.getColumnTypeName(i).toUpperCase();
                Object v = rs.getObject(i);
                Object expected = v == null ? null : switch (type) {
                    case "INT", "INTEGER", "TINYINT UNSIGNED", "TINYINT" -> ((Number) v).intValue();
                    case "BIGINT" -> ((Number) v).longValue();
                    case "DECIMAL" -> (BigDecimal) v;
                    case "DATE" -> v instanceof java.sql.Date d ? d.toLocalDate() : v;
                    default -> v.toString();
                };
                row.put(meta.getColumnName(i), expected);
            }
        }
        return row;
    }
}
