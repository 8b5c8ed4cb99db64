package dev.canalboot.internal.binlog.schema;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random migration over several tables: hundreds of DDL statements (add with FIRST/AFTER and INVISIBLE,
 * drop, rename and change columns, widen types, multi-clause ALTERs, table renames and swaps, CREATE ... LIKE,
 * DROP and TRUNCATE TABLE, charset conversions and default charsets) between inserts, updates, deletes and
 * multi-statement transactions. It is read from before it began without a stored history: replayed afterwards,
 * live, or stopped half-way and resumed from the checkpoint. Every row event comes with the column names, Java
 * types and values it was written with, before and after; every ALTER's {@link SchemaChange} carries the columns
 * information_schema showed right after it. The oracle: information_schema and a SELECT right before and after
 * each statement. The seed is printed on failure; -Dschema.seed=N repeats one, -Dschema.steps=N scales the run.
 */
class GeneratedMigrationIT {

    enum Server {
        MYSQL_MINIMAL, MYSQL_FULL, MARIADB_NO_LOG, MARIADB_FULL, MYSQL_NEWEST_MINIMAL;

        boolean mariaDb() {
            return name().startsWith("MARIADB");
        }
    }

    /**
     * REPLAY: the source starts at the beginning after the migration ran. LIVE: it reads while the migration runs.
     * RESUME: it reads the first half, stops, and resumes from its checkpoint after the second half ran.
     */
    enum Mode { REPLAY, LIVE, RESUME }

    private static final int STEPS = Integer.getInteger("schema.steps", 200);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Server.MYSQL_MINIMAL, Mode.REPLAY), Arguments.of(Server.MYSQL_FULL, Mode.REPLAY),
                Arguments.of(Server.MARIADB_NO_LOG, Mode.REPLAY), Arguments.of(Server.MARIADB_FULL, Mode.REPLAY),
                Arguments.of(Server.MYSQL_NEWEST_MINIMAL, Mode.REPLAY),
                Arguments.of(Server.MYSQL_MINIMAL, Mode.LIVE), Arguments.of(Server.MARIADB_NO_LOG, Mode.LIVE),
                Arguments.of(Server.MYSQL_MINIMAL, Mode.RESUME), Arguments.of(Server.MARIADB_NO_LOG, Mode.RESUME));
    }

    private static final String[] TYPES = {"INT", "BIGINT", "VARCHAR(20)", "DECIMAL(10,2)", "DATE", "TINYINT UNSIGNED"};

    /** One row event as the oracle saw it. */
    record Written(String table, ChangeType type, Map<String, Object> before, Map<String, Object> after) {
    }

    /** An ALTER and the columns information_schema listed right after it. */
    record Altered(String sql, List<String> columns) {
    }

    @TempDir
    Path checkpoints;

    static EmbeddedDatabase server(Server s) {
        return switch (s) {
            case MYSQL_MINIMAL -> TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withRowMetadata(RowMetadata.MINIMAL));
            case MYSQL_FULL -> TestServers.mysql();
            case MARIADB_NO_LOG, MARIADB_FULL -> TestServers.mariadb();
            case MYSQL_NEWEST_MINIMAL -> TestServers.newestMySql();
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void everyRowComesAsWritten(Server which, Mode mode) throws Exception {
        long seed = Long.getLong("schema.seed", System.nanoTime());
        EmbeddedDatabase server = server(which);
        String db = "schema_gen_" + which.name().toLowerCase(Locale.ROOT) + "_" + mode.name().toLowerCase(Locale.ROOT);
        boolean switched = which == Server.MARIADB_NO_LOG || which == Server.MYSQL_NEWEST_MINIMAL;
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement st = c.createStatement()) {
            if (switched) {
                st.execute("SET GLOBAL binlog_row_metadata = " + (which.mariaDb() ? "NO_LOG" : "MINIMAL"));
            }
            try {
                run(which, mode, server, st, db, seed);
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " (repeat with -Dschema.seed=" + seed + "): " + t, t);
            } finally {
                if (switched) {
                    st.execute("SET GLOBAL binlog_row_metadata = FULL");
                }
            }
        }
    }

    private void run(Server which, Mode mode, EmbeddedDatabase server, Statement st, String db, long seed) throws Exception {
        st.execute("DROP DATABASE IF EXISTS " + db);
        StartPosition.FilePosition start = SchemaHistoryStartIT.binlogEnd(server);
        BinlogSourceSettings settings = SchemaHistoryResumeIT.settings(server,
                7300 + 10L * which.ordinal() + mode.ordinal()).toBuilder().start(start).build();
        Migration migration = new Migration(st, db, new Random(seed));
        List<ChangeEvent> events = new ArrayList<>();
        long began = System.nanoTime();
        switch (mode) {
            case REPLAY -> {
                migration.run(STEPS);
                events.addAll(read(new BinlogChangeSource(settings), db, migration.written.size()));
            }
            case LIVE -> {
                BinlogChangeSource source = new BinlogChangeSource(settings);
                source.start();
                migration.run(STEPS / 4);
                events.addAll(read(source, db, migration.written.size()));
            }
            case RESUME -> {
                FileCheckpointStore store = new FileCheckpointStore(checkpoints);
                migration.run(STEPS / 8);
                events.addAll(read(new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH), db,
                        migration.written.size()));
                int before = migration.written.size();
                migration.run(STEPS / 8);
                events.addAll(read(new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH), db,
                        migration.written.size() - before));
            }
        }
        System.out.printf("%s %s seed %d: %d statements (%d DDL), %d row events in %d ms%n", which, mode, seed,
                migration.statements, migration.ddl, migration.written.size(), (System.nanoTime() - began) / 1_000_000);

        List<RowChange> rows = SchemaHistoryStartIT.rows(events).stream().filter(r -> r.schema().equals(db)).toList();
        List<Written> written = migration.written;
        assertThat(rows).hasSize(written.size());
        for (int i = 0; i < rows.size(); i++) {
            Written w = written.get(i);
            RowChange r = rows.get(i);
            String what = "row event " + i + " (" + w.type() + " " + w.table() + ")";
            assertThat(r.table()).as(what).isEqualTo(w.table());
            assertThat(r.type()).as(what).isEqualTo(w.type());
            same(what + " after image", r.after() == null ? null : r.after().toMap(), w.after());
            same(what + " before image", r.before() == null ? null : r.before().toMap(), w.before());
        }
        List<SchemaChange> alters = events.stream().filter(SchemaChange.class::isInstance).map(SchemaChange.class::cast)
                .filter(s -> db.equals(s.schema()) && s.sql().startsWith("ALTER TABLE")).toList();
        assertThat(alters).hasSize(migration.altered.size());
        for (int i = 0; i < alters.size(); i++) {
            Altered a = migration.altered.get(i);
            assertThat(alters.get(i).sql()).isEqualTo(a.sql());
            assertThat(alters.get(i).after()).as("definition after %s", a.sql()).isNotNull();
            assertThat(alters.get(i).after().columnNames()).as("columns after %s", a.sql()).isEqualTo(a.columns());
        }
    }

    private static void same(String what, Map<String, Object> got, Map<String, Object> expected) {
        if (expected == null) {
            assertThat(got).as(what).isNull();
            return;
        }
        assertThat(got).as(what).isNotNull();
        assertThat(new ArrayList<>(got.keySet())).as(what + ": column names").isEqualTo(new ArrayList<>(expected.keySet()));
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object value = got.get(e.getKey());
            assertThat(value).as(what + ": " + e.getKey()).isEqualTo(e.getValue());
            if (value != null) {
                assertThat(value.getClass()).as(what + ": Java type of " + e.getKey()).isEqualTo(e.getValue().getClass());
            }
        }
    }

    /** Starts the source (unless it runs), reads {@code count} row events of {@code db}, and closes it (saving its checkpoint). */
    private static List<ChangeEvent> read(BinlogChangeSource source, String db, int count) throws Exception {
        try (source) {
            if (source.state() == SourceState.IDLE) {
                source.start();
            }
            return SchemaHistoryResumeIT.poll(source, e -> e.stream()
                    .filter(x -> x instanceof RowChange r && r.schema().equals(db)).count() >= count);
        }
    }

    /** The migration, run in parts; {@link #written} holds each row event as SELECTs read it around its statement. */
    static final class Migration {
        final Statement st;
        final String db;
        final Random random;
        /** Live table → the ids of its rows. */
        final Map<String, Set<Integer>> tables = new LinkedHashMap<>();
        final List<Written> written = new ArrayList<>();
        final List<Altered> altered = new ArrayList<>();
        int ids;
        int names = 1;
        int statements;
        int ddl;

        Migration(Statement st, String db, Random random) {
            this.st = st;
            this.db = db;
            this.random = random;
        }

        void run(int steps) throws Exception {
            if (tables.isEmpty()) {
                execute("CREATE DATABASE " + db + " DEFAULT CHARACTER SET utf8mb4");
                for (int t = 0; t < 3; t++) {
                    ddl("CREATE TABLE " + db + ".t" + t + " (id INT PRIMARY KEY, c0 VARCHAR(20))");
                    tables.put("t" + t, new LinkedHashSet<>());
                }
            }
            for (int step = 0; step < steps; step++) {
                step();
            }
            // A last insert: the reader stops at its last row, so every DDL before it is read too.
            String last = tables.keySet().iterator().next();
            List<String[]> cols = columns(last);
            int id = ++ids;
            execute("INSERT INTO " + db + "." + last + " (id) VALUES (" + id + ")");
            tables.get(last).add(id);
            written.add(new Written(last, ChangeType.INSERT, null, select(db + "." + last, id)));
        }

        private void step() throws Exception {
            List<String> keys = new ArrayList<>(tables.keySet());
            String table = keys.get(random.nextInt(keys.size()));
            String q = db + "." + table;
            List<String[]> cols = columns(table); // name, COLUMN_TYPE; without id
            int kind = random.nextInt(24);
            switch (kind) {
                case 0, 1 -> {
                    String name = "c" + names++;
                    String type = TYPES[random.nextInt(TYPES.length)];
                    String invisible = random.nextInt(5) == 0 ? " INVISIBLE" : "";
                    int at = random.nextInt(cols.size() + 2);
                    alter(q, "ADD COLUMN " + name + " " + type + invisible + (at == 0 ? " FIRST"
                            : at <= cols.size() ? " AFTER " + cols.get(at - 1)[0] : ""));
                }
                case 2 -> {
                    if (cols.size() > 1) {
                        alter(q, "DROP COLUMN " + cols.get(random.nextInt(cols.size()))[0]);
                    }
                }
                case 3 -> {
                    if (!cols.isEmpty()) {
                        alter(q, "RENAME COLUMN " + cols.get(random.nextInt(cols.size()))[0] + " TO c" + names++);
                    }
                }
                case 4, 5 -> {
                    if (!cols.isEmpty()) {
                        String[] old = cols.get(random.nextInt(cols.size()));
                        String wider = wider(old[1]);
                        alter(q, kind == 4 ? "CHANGE " + old[0] + " c" + names++ + " " + wider : "MODIFY " + old[0] + " " + wider);
                    }
                }
                case 6 -> {
                    if (cols.size() > 1) {
                        alter(q, "DROP COLUMN " + cols.get(0)[0] + ", ADD COLUMN c" + names++ + " "
                                + TYPES[random.nextInt(TYPES.length)] + " AFTER id, RENAME COLUMN "
                                + cols.get(1)[0] + " TO c" + names++);
                    }
                }
                case 7 -> {
                    String to = "r" + names++;
                    if (keys.size() > 1 && random.nextBoolean()) {
                        String other = keys.get((keys.indexOf(table) + 1) % keys.size());
                        // a swap, as online schema change tools do it
                        ddl("RENAME TABLE " + q + " TO " + db + "." + to + ", " + db + "." + other + " TO " + q
                                + ", " + db + "." + to + " TO " + db + "." + other);
                        Set<Integer> a = tables.get(table);
                        tables.put(table, tables.get(other));
                        tables.put(other, a);
                    } else {
                        ddl("RENAME TABLE " + q + " TO " + db + "." + to);
                        tables.put(to, tables.remove(table));
                    }
                }
                case 8 -> {
                    if (tables.size() < 5) {
                        String copy = "k" + names++;
                        ddl("CREATE TABLE " + db + "." + copy + " LIKE " + q);
                        tables.put(copy, new LinkedHashSet<>());
                    } else {
                        ddl("DROP TABLE " + q);
                        tables.remove(table);
                    }
                }
                case 9 -> {
                    String charset = random.nextBoolean() ? "latin1" : "utf8mb4";
                    alter(q, random.nextBoolean() ? "CONVERT TO CHARACTER SET " + charset : "DEFAULT CHARSET " + charset);
                }
                case 10 -> {
                    if (random.nextInt(4) == 0) {
                        ddl("TRUNCATE TABLE " + q);
                        tables.get(table).clear();
                    }
                }
                case 11 -> {
                    // several changes in one transaction
                    execute("BEGIN");
                    for (int k = 0; k < 3; k++) {
                        dml(table, q, cols);
                    }
                    execute("COMMIT");
                }
                default -> dml(table, q, cols);
            }
        }

        private void dml(String table, String q, List<String[]> cols) throws Exception {
            Set<Integer> rows = tables.get(table);
            int pick = random.nextInt(10);
            if (rows.isEmpty() || pick < 5) {
                int id = ++ids;
                StringBuilder names0 = new StringBuilder("id");
                StringBuilder values = new StringBuilder(String.valueOf(id));
                for (String[] c : cols) {
                    names0.append(", ").append(c[0]);
                    values.append(", ").append(value(c[1]));
                }
                execute("INSERT INTO " + q + " (" + names0 + ") VALUES (" + values + ")");
                rows.add(id);
                written.add(new Written(table, ChangeType.INSERT, null, select(q, id)));
            } else {
                int id = new ArrayList<>(rows).get(random.nextInt(rows.size()));
                Map<String, Object> before = select(q, id);
                if (pick < 8 && !cols.isEmpty()) {
                    String[] c = cols.get(random.nextInt(cols.size()));
                    execute("UPDATE " + q + " SET " + c[0] + " = " + value(c[1]) + " WHERE id = " + id);
                    Map<String, Object> after = select(q, id);
                    if (!after.equals(before)) { // an update that changes nothing is not logged
                        written.add(new Written(table, ChangeType.UPDATE, before, after));
                    }
                } else {
                    execute("DELETE FROM " + q + " WHERE id = " + id);
                    rows.remove(id);
                    written.add(new Written(table, ChangeType.DELETE, before, null));
                }
            }
        }

        private void alter(String q, String clauses) throws Exception {
            String sql = "ALTER TABLE " + q + " " + clauses;
            ddl(sql);
            altered.add(new Altered(sql, columnOrder(q.substring(db.length() + 1))));
        }

        private void ddl(String sql) throws Exception {
            execute(sql);
            ddl++;
        }

        private void execute(String sql) throws Exception {
            st.execute(sql);
            statements++;
        }

        /** The columns other than id, in order, from information_schema: name and COLUMN_TYPE. */
        private List<String[]> columns(String table) throws Exception {
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = '" + db + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    if (!rs.getString(1).equals("id")) {
                        out.add(new String[]{rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)});
                    }
                }
            }
            return out;
        }

        private List<String> columnOrder(String table) throws Exception {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                    + db + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }

        /**
         * The row as the server has it now, every column (invisible ones too, named from information_schema), with
         * the Java type the source delivers for the column's information_schema type.
         */
        private Map<String, Object> select(String q, int id) throws Exception {
            String table = q.substring(db.length() + 1);
            List<String[]> types = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
                    + " WHERE TABLE_SCHEMA = '" + db + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
                while (rs.next()) {
                    types.add(new String[]{rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT)});
                }
            }
            StringBuilder list = new StringBuilder();
            for (String[] t : types) {
                list.append(list.isEmpty() ? "" : ", ").append('`').append(t[0]).append('`');
            }
            Map<String, Object> row = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT " + list + " FROM " + q + " WHERE id = " + id)) {
                assertThat(rs.next()).as("row %d of %s", id, q).isTrue();
                for (int i = 0; i < types.size(); i++) {
                    Object v = rs.getObject(i + 1);
                    row.put(types.get(i)[0], v == null ? null : switch (types.get(i)[1]) {
                        case "int", "tinyint", "smallint", "mediumint" -> ((Number) v).intValue();
                        case "bigint" -> ((Number) v).longValue();
                        case "decimal" -> (BigDecimal) v;
                        case "date" -> v instanceof java.sql.Date d ? d.toLocalDate() : v;
                        default -> v.toString();
                    });
                }
            }
            return row;
        }

        private String value(String columnType) {
            String t = columnType.toLowerCase(Locale.ROOT);
            if (random.nextInt(12) == 0) {
                return "NULL";
            }
            if (t.startsWith("tinyint")) {
                return String.valueOf(random.nextInt(256));
            }
            if (t.startsWith("smallint")) {
                return String.valueOf(random.nextInt(65536));
            }
            if (t.startsWith("int")) {
                return String.valueOf(random.nextInt());
            }
            if (t.startsWith("bigint")) {
                return String.valueOf(random.nextLong());
            }
            if (t.startsWith("varchar")) {
                return "'v" + random.nextInt(100000) + (random.nextBoolean() ? "é" : "ñ") + "'";
            }
            if (t.startsWith("decimal(10")) {
                return (random.nextInt(2_000_000) - 1_000_000) + "." + random.nextInt(10) + random.nextInt(10);
            }
            if (t.startsWith("decimal")) {
                return random.nextInt(1000) + ".5";
            }
            if (t.startsWith("date")) {
                return "'" + LocalDate.of(1990 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)) + "'";
            }
            throw new IllegalArgumentException(columnType);
        }

        private static String wider(String columnType) {
            String t = columnType.toLowerCase(Locale.ROOT);
            if (t.startsWith("tinyint")) {
                return "SMALLINT UNSIGNED";
            }
            if (t.startsWith("int") || t.startsWith("smallint")) {
                return "BIGINT";
            }
            if (t.startsWith("varchar")) {
                return "VARCHAR(60)";
            }
            if (t.startsWith("decimal")) {
                return "DECIMAL(14,4)";
            }
            return t.toUpperCase(Locale.ROOT); // bigint, date: the same type again
        }
    }
}
