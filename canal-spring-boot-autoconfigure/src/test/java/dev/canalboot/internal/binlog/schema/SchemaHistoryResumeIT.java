package dev.canalboot.internal.binlog.schema;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.checkpoint.JdbcCheckpointStore;
import com.mysql.cj.jdbc.MysqlDataSource;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four changes of issue 15, made while the consumer is stopped: resumed from its checkpoint, every row comes
 * with the column names, Java types and values it was written with, whatever the server's row metadata.
 */
class SchemaHistoryResumeIT {

    /** MySQL with the file store, MariaDB with the JDBC store (a table of the old form, without the history column). */
    enum Server { MYSQL_MINIMAL, MYSQL_FULL, MARIADB_NO_LOG, MARIADB_FULL, MYSQL_NEWEST_MINIMAL, MYSQL_NEWEST_FULL }

    @TempDir
    Path checkpoints;

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
            case MYSQL_NEWEST_FULL -> TestServers.newestMySql();
            case MYSQL_NEWEST_MINIMAL -> {
                EmbeddedDatabase m = TestServers.newestMySql();
                m.execute("SET GLOBAL binlog_row_metadata = MINIMAL");
                yield m;
            }
        };
    }

    private CheckpointStore store(Server s, EmbeddedDatabase server) {
        if (!s.name().startsWith("MARIADB")) {
            return new FileCheckpointStore(checkpoints);
        }
        String table = "schema_cp_" + s.name().toLowerCase();
        server.execute("CREATE DATABASE IF NOT EXISTS schema_checkpoints", "DROP TABLE IF EXISTS schema_checkpoints." + table,
                // the form before the schema history: the store adds its column
                "CREATE TABLE schema_checkpoints." + table + " (source_name VARCHAR(200) NOT NULL PRIMARY KEY,"
                        + " binlog_file VARCHAR(255), binlog_position BIGINT NOT NULL, gtid_set VARCHAR(8000),"
                        + " saved_at TIMESTAMP(3) NOT NULL)");
        MysqlDataSource ds = new MysqlDataSource();
        ds.setUrl(server.jdbcUrl("schema_checkpoints"));
        ds.setUser(server.rootUser());
        ds.setPassword(server.rootPassword());
        return new JdbcCheckpointStore(ds, table);
    }

    @ParameterizedTest
    @EnumSource(Server.class)
    void rowsWrittenBeforeADdlKeepTheirShapeAcrossARestart(Server which) throws Exception {
        EmbeddedDatabase server = server(which);
        try {
            run(which, server);
        } finally {
            if (which == Server.MARIADB_NO_LOG || which == Server.MYSQL_NEWEST_MINIMAL) {
                server.execute("SET GLOBAL binlog_row_metadata = FULL");
            }
        }
    }

    private void run(Server which, EmbeddedDatabase server) throws Exception {
        String db = "schema_resume_" + which.name().toLowerCase();
        server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".t1 (id INT PRIMARY KEY, a VARCHAR(20), b INT)",
                "CREATE TABLE " + db + ".t2 (id INT PRIMARY KEY, a VARCHAR(20), b VARCHAR(20))",
                "CREATE TABLE " + db + ".t3 (id INT PRIMARY KEY, y VARCHAR(20))",
                "CREATE TABLE " + db + ".t4 (id INT PRIMARY KEY, x INT)",
                "CREATE TABLE " + db + ".t5 (id INT PRIMARY KEY, s VARCHAR(10) CHARACTER SET utf8mb4)");
        CheckpointStore store = store(which, server);
        BinlogSourceSettings settings = settings(server, 7101 + which.ordinal());
        try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.start();
            server.execute("INSERT INTO " + db + ".t1 VALUES (0, 'live', 0)");
            poll(source, rowsOf(1));
        }
        assertThat(store.load(settings.name()).orElseThrow().schemaHistory()).contains("\"t1\"");

        // Consumer stopped: rows, then the DDL, then rows under the new shape.
        server.execute(
                "INSERT INTO " + db + ".t1 VALUES (1, 'old-a', 10)",
                "ALTER TABLE " + db + ".t1 RENAME COLUMN a TO a2",
                "INSERT INTO " + db + ".t1 VALUES (2, 'new-a', 20)",
                "INSERT INTO " + db + ".t2 VALUES (1, 'va', 'vb')",
                "ALTER TABLE " + db + ".t2 DROP COLUMN b, ADD COLUMN c VARCHAR(20)",
                "INSERT INTO " + db + ".t2 VALUES (2, 'va2', 'vc2')",
                "INSERT INTO " + db + ".t3 VALUES (1, 'y1')",
                "ALTER TABLE " + db + ".t3 ADD COLUMN z INT FIRST",
                "INSERT INTO " + db + ".t3 VALUES (7, 2, 'y2')",
                "INSERT INTO " + db + ".t4 VALUES (1, 2147483647)",
                "ALTER TABLE " + db + ".t4 MODIFY x BIGINT",
                "INSERT INTO " + db + ".t4 VALUES (2, 9000000000)",
                // a charset change: without charsets in the table map (MariaDB NO_LOG) the bytes mean what the
                // column's charset was when they were written
                "INSERT INTO " + db + ".t5 VALUES (1, 'é')",
                "ALTER TABLE " + db + ".t5 MODIFY s VARCHAR(10) CHARACTER SET latin1",
                "INSERT INTO " + db + ".t5 VALUES (2, 'ñ')");

        List<ChangeEvent> events;
        try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.start();
            events = poll(source, e -> e.stream().filter(c -> c instanceof RowChange r && r.schema().equals(db)).count() >= 10);
        }
        List<RowChange> rows = events.stream().filter(RowChange.class::isInstance).map(RowChange.class::cast)
                .filter(r -> r.schema().equals(db)).toList(); // the JDBC store's own writes are in this binlog too
        assertThat(rows).hasSize(10);
        assertThat(rows.get(0).after().toMap()).containsExactly(entry("id", 1), entry("a", "old-a"), entry("b", 10));
        assertThat(rows.get(1).after().toMap()).containsExactly(entry("id", 2), entry("a2", "new-a"), entry("b", 20));
        assertThat(rows.get(2).after().toMap()).containsExactly(entry("id", 1), entry("a", "va"), entry("b", "vb"));
        assertThat(rows.get(3).after().toMap()).containsExactly(entry("id", 2), entry("a", "va2"), entry("c", "vc2"));
        assertThat(rows.get(4).after().toMap()).containsExactly(entry("id", 1), entry("y", "y1"));
        assertThat(rows.get(5).after().toMap()).containsExactly(entry("z", 7), entry("id", 2), entry("y", "y2"));
        assertThat(rows.get(6).after().toMap()).containsExactly(entry("id", 1), entry("x", 2147483647));
        assertThat(rows.get(7).after().toMap()).containsExactly(entry("id", 2), entry("x", 9000000000L));
        assertThat(rows.get(8).after().toMap()).containsExactly(entry("id", 1), entry("s", "é"));
        assertThat(rows.get(9).after().toMap()).containsExactly(entry("id", 2), entry("s", "ñ"));
        assertThat(rows.get(6).after().toMap().get("x")).isInstanceOf(Integer.class);
        assertThat(rows.get(7).after().toMap().get("x")).isInstanceOf(Long.class);

        SchemaChange rename = events.stream().filter(SchemaChange.class::isInstance).map(SchemaChange.class::cast)
                .filter(c -> c.sql().contains("RENAME COLUMN")).findFirst().orElseThrow();
        assertThat(rename.before().columnNames()).containsExactly("id", "a", "b");
        assertThat(rename.after().columnNames()).containsExactly("id", "a2", "b");
    }

    /**
     * The other DDL kinds of issue 15, made while the consumer is stopped: CREATE TABLE ... LIKE and ... SELECT,
     * USE with unqualified names, an executable comment, a multi-table RENAME swapping a table for its altered copy
     * (how online schema change tools finish), DROP DATABASE and a database created again with another shape.
     */
    @ParameterizedTest
    @EnumSource(Server.class)
    void otherDdlKindsKeepEachRowsShapeAcrossARestart(Server which) throws Exception {
        otherDdlKinds(which, false);
    }

    /** The same statements read by a consumer that runs throughout. */
    @ParameterizedTest
    @EnumSource(Server.class)
    void otherDdlKindsKeepEachRowsShapeWithTheConsumerLive(Server which) throws Exception {
        otherDdlKinds(which, true);
    }

    private void otherDdlKinds(Server which, boolean live) throws Exception {
        EmbeddedDatabase server = server(which);
        try {
            runOtherKinds(which, server, live);
        } finally {
            if (which == Server.MARIADB_NO_LOG || which == Server.MYSQL_NEWEST_MINIMAL) {
                server.execute("SET GLOBAL binlog_row_metadata = FULL");
            }
        }
    }

    private void runOtherKinds(Server which, EmbeddedDatabase server, boolean live) throws Exception {
        String db = "schema_kinds_" + (live ? "live_" : "") + which.name().toLowerCase();
        boolean mariadb = which.name().startsWith("MARIADB");
        String gone = db + "_gone";
        server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "DROP DATABASE IF EXISTS " + gone,
                "CREATE DATABASE " + gone,
                "CREATE TABLE " + db + ".src (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE " + db + ".u1 (id INT PRIMARY KEY, a INT)",
                "CREATE TABLE " + db + ".e1 (id INT PRIMARY KEY, a INT)",
                "CREATE TABLE " + db + ".r1 (id INT PRIMARY KEY, a INT)",
                "CREATE TABLE " + db + ".m1 (id INT PRIMARY KEY, a INT)",
                "CREATE TABLE " + gone + ".t (id INT PRIMARY KEY, n INT)");
        CheckpointStore store = store(which, server);
        BinlogSourceSettings settings = settings(server, (live ? 7301 : 7201) + which.ordinal());
        BinlogChangeSource first = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH);
        try {
            first.start();
            server.execute("INSERT INTO " + db + ".src VALUES (0, 'live')");
            poll(first, rowsOf(1));
        } finally {
            if (!live) {
                first.close();
            }
        }

        // Every kind of DDL between rows (consumer stopped, or reading throughout).
        server.execute(
                "INSERT INTO " + db + ".src VALUES (1, 's1')",
                "CREATE TABLE " + db + ".like1 LIKE " + db + ".src",
                "INSERT INTO " + db + ".like1 VALUES (1, 'l1')",
                "ALTER TABLE " + db + ".src ADD COLUMN w INT",
                "INSERT INTO " + db + ".src VALUES (2, 's2', 5)",
                "CREATE TABLE " + db + ".sel1 (id INT PRIMARY KEY, v VARCHAR(20)) SELECT id, v FROM " + db
                        + ".src WHERE id > 0",
                "INSERT INTO " + db + ".sel1 VALUES (3, 'x')",
                "INSERT INTO " + db + ".u1 VALUES (1, 1)",
                "USE " + db,
                "ALTER TABLE u1 ADD COLUMN b VARCHAR(5) AFTER id",
                "INSERT INTO u1 VALUES (2, 'b2', 2)",
                "INSERT INTO " + db + ".e1 VALUES (1, 1)",
                "/*!50100 ALTER TABLE " + db + ".e1 ADD COLUMN c INT FIRST */",
                "INSERT INTO " + db + ".e1 VALUES (9, 2, 2)",
                "INSERT INTO " + db + ".r1 VALUES (1, 1)",
                "CREATE TABLE " + db + ".r1_new (id INT PRIMARY KEY, a INT, extra VARCHAR(5))",
                "RENAME TABLE " + db + ".r1 TO " + db + ".r1_old, " + db + ".r1_new TO " + db + ".r1",
                "INSERT INTO " + db + ".r1 VALUES (2, 2, 'e2')",
                "TRUNCATE TABLE " + db + ".like1",
                "INSERT INTO " + db + ".like1 VALUES (2, 'l2')",
                "ALTER TABLE /* widen */ " + db + ".like1 ADD COLUMN /* new */ z INT",
                "INSERT INTO " + db + ".like1 VALUES (3, 'l3', 3)",
                "DROP TABLE " + db + ".r1_old, " + db + ".sel1",
                "CREATE TABLE " + db + ".sel1 (id INT PRIMARY KEY, q INT)",
                "INSERT INTO " + db + ".sel1 VALUES (1, 7)",
                "INSERT INTO " + gone + ".t VALUES (1, 1)",
                "DROP DATABASE " + gone,
                "CREATE DATABASE " + gone,
                "CREATE TABLE " + gone + ".t (id INT PRIMARY KEY, other VARCHAR(5))",
                "INSERT INTO " + gone + ".t VALUES (2, 'o2')");
        if (mariadb) { // MariaDB's IF [NOT] EXISTS clauses
            server.execute("INSERT INTO " + db + ".m1 VALUES (1, 1)",
                    "ALTER TABLE " + db + ".m1 ADD COLUMN IF NOT EXISTS b INT, ADD COLUMN IF NOT EXISTS a INT,"
                            + " DROP COLUMN IF EXISTS zz",
                    "INSERT INTO " + db + ".m1 VALUES (2, 2, 2)");
        }
        int expected = mariadb ? 19 : 17;

        List<ChangeEvent> events;
        Predicate<RowChange> ours = r -> r.schema().equals(db) || r.schema().equals(gone);
        Predicate<List<ChangeEvent>> all = e -> e.stream().filter(c -> c instanceof RowChange r && ours.test(r))
                .count() >= expected;
        if (live) {
            try (first) {
                events = poll(first, all);
            }
        } else {
            try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
                source.start();
                events = poll(source, all);
            }
        }
        List<String> rows = events.stream().filter(RowChange.class::isInstance).map(RowChange.class::cast)
                .filter(ours).map(r -> r.table() + " " + r.after().toMap()).toList();
        List<String> expectedRows = new ArrayList<>(List.of(
                "src {id=1, v=s1}",
                "like1 {id=1, v=l1}",
                "src {id=2, v=s2, w=5}",
                "sel1 {id=1, v=s1}",
                "sel1 {id=2, v=s2}",
                "sel1 {id=3, v=x}",
                "u1 {id=1, a=1}",
                "u1 {id=2, b=b2, a=2}",
                "e1 {id=1, a=1}",
                "e1 {c=9, id=2, a=2}",
                "r1 {id=1, a=1}",
                "r1 {id=2, a=2, extra=e2}",
                "like1 {id=2, v=l2}",
                "like1 {id=3, v=l3, z=3}",
                "sel1 {id=1, q=7}",
                "t {id=1, n=1}",
                "t {id=2, other=o2}"));
        if (mariadb) {
            expectedRows.addAll(List.of("m1 {id=1, a=1}", "m1 {id=2, a=2, b=2}"));
        }
        assertThat(rows).containsExactlyElementsOf(expectedRows);
    }

    @org.junit.jupiter.api.Test
    void fullMetadataWinsOverAWrongHistoryAndCorrectsIt() throws Exception {
        EmbeddedDatabase server = TestServers.mysql();
        String db = "schema_resume_correct";
        server.execute("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a VARCHAR(20))");
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        BinlogSourceSettings settings = settings(server, 7109);
        try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.start();
            server.execute("INSERT INTO " + db + ".t VALUES (0, 'x')");
            poll(source, e -> e.stream().anyMatch(c -> c instanceof RowChange r && r.schema().equals(db)));
        }
        // A history that went wrong: column a is called "wrong" there.
        var saved = store.load(settings.name()).orElseThrow();
        assertThat(saved.schemaHistory()).contains("[\"a\",\"varchar(20)\"");
        String history = saved.schemaHistory();
        int at = history.indexOf("[\"" + db + "\",\"t\"");
        String wrong = history.substring(0, at) + history.substring(at).replaceFirst("\\[\"a\",\"varchar\\(20\\)\"", "[\"wrong\",\"varchar(20)\"");
        assertThat(wrong).contains("\"wrong\"");
        store.save(new dev.canalboot.checkpoint.Checkpoint(saved.source(), saved.file(), saved.position(),
                saved.gtidSet(), saved.savedAt(), saved.server(), wrong));
        server.execute("INSERT INTO " + db + ".t VALUES (1, 'y')");
        try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.start();
            List<ChangeEvent> events = poll(source, e -> e.stream().anyMatch(c -> c instanceof RowChange r && r.schema().equals(db)));
            RowChange row = events.stream().filter(c -> c instanceof RowChange r && r.schema().equals(db))
                    .map(RowChange.class::cast).findFirst().orElseThrow();
            assertThat(row.after().toMap()).containsExactly(entry("id", 1), entry("a", "y"));
        }
        String corrected = store.load(settings.name()).orElseThrow().schemaHistory();
        assertThat(corrected).doesNotContain("\"wrong\"");
    }

    static java.util.Map.Entry<String, Object> entry(String k, Object v) {
        return java.util.Map.entry(k, v);
    }

    static BinlogSourceSettings settings(EmbeddedDatabase server, long serverId) {
        DatabaseUser user = server.users().get(0);
        return BinlogSourceSettings.builder("schema-" + serverId, server.host(), server.port(), user.name(),
                        user.password()).tls(TlsSettings.DISABLED).serverId(serverId)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10)).build();
    }

    static Predicate<List<ChangeEvent>> rowsOf(int n) {
        return events -> events.stream().filter(RowChange.class::isInstance).count() >= n;
    }

    static List<ChangeEvent> poll(BinlogChangeSource source, Predicate<List<ChangeEvent>> done) throws InterruptedException {
        List<ChangeEvent> events = new ArrayList<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(events)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("Gave up waiting; events so far: " + events);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                events.addAll(batch.events());
                source.ack(batch);
            }
        }
        return events;
    }
}
