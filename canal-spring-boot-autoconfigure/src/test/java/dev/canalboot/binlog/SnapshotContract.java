package dev.canalboot.binlog;

import dev.canalboot.testsupport.JdbcRows;
import dev.canalboot.testsupport.AllTypesWorkload;
import dev.canalboot.testsupport.RandomValuesWorkload;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.SnapshotException;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotProgress;
import dev.canalboot.snapshot.SnapshotSettings;
import dev.canalboot.testsupport.KeyMovingWriter;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots against a real server: a writer inserting, updating (keys too) and deleting all through a snapshot,
 * the delivered changes applied in order equal the final SELECT; snapshot rows equal the binlog's insert images
 * of every type; a stopped snapshot resumes after its last acknowledged chunk; an empty table; a table without a
 * key is refused.
 */
abstract class SnapshotContract extends ItemsTableContract {

    static final String SNAP = "snapshot_e2e";

    @Override
    String schema() {
        return SNAP;
    }

    abstract boolean mariadb();

    BinlogSourceSettings.Builder settings() {
        dev.canalboot.embedded.DatabaseUser user = server().users().get(0);
        return BinlogSourceSettings.builder("resume", server().host(), server().port(), user.name(), user.password())
                .serverId(ResumeContract.SERVER_IDS.incrementAndGet())
                .tls(dev.canalboot.binlog.tls.TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 20);
    }

    static StartPosition latest() {
        return new StartPosition.Latest();
    }

    BinlogChangeSource snapshotting(List<String> tables, int chunkSize) {
        BinlogChangeSource source = new BinlogChangeSource(settings().start(latest()).build(), store,
                CheckpointPolicy.EVERY_BATCH);
        source.snapshots(new SnapshotSettings(SnapshotMode.INITIAL, tables, chunkSize, Map.of()));
        sources.add(source);
        source.start();
        return source;
    }

    Connection jdbc() throws Exception {
        return DriverManager.getConnection(server().jdbcUrl(SNAP), server().rootUser(), server().rootPassword());
    }

    /** Applies a change to a map of rows by id, as a mirror would. */
    static void apply(Map<Long, List<Object>> mirror, RowChange c) {
        if (c.before() != null) {
            mirror.remove(c.before().getLong("id"));
        }
        if (c.after() != null) {
            mirror.put(c.after().getLong("id"), c.after().values());
        }
    }

    /** Polls (acknowledging) until {@code done} holds after a batch; returns the row changes of {@code table}. */
    static List<RowChange> pollUntil(BinlogChangeSource source, String table, Predicate<List<RowChange>> done)
            throws InterruptedException {
        return pollUntil(source, table, done, Duration.ofSeconds(90));
    }

    static List<RowChange> pollUntil(BinlogChangeSource source, String table, Predicate<List<RowChange>> done,
                                     Duration deadline) throws InterruptedException {
        List<RowChange> changes = new ArrayList<>();
        long guard = System.nanoTime() + deadline.toNanos();
        while (!done.test(changes)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("Gave up; received " + changes.size() + " changes, status "
                        + (source.snapshotStatus() == null ? null : source.snapshotStatus().describe()));
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(100));
            if (batch == null) {
                continue;
            }
            for (ChangeEvent e : batch.events()) {
                if (e instanceof RowChange r && r.qualifiedTable().equals(table)) {
                    changes.add(r);
                }
            }
            source.ack(batch);
        }
        return changes;
    }

    static Map<Long, List<Object>> select(Connection c, String table) throws Exception {
        Map<Long, List<Object>> rows = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, k, v FROM " + table)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), List.of(rs.getLong(1), rs.getLong(2), rs.getString(3)));
            }
        }
        return rows;
    }

    /**
     * Rows of the writer test: 20,000 in CI; {@code -Dsnapshot.writer.rows=500000} for the long run (README,
     * Snapshots, for what it printed).
     */
    static final int WRITER_ROWS = Integer.getInteger("snapshot.writer.rows", 20_000);

    @Test
    void writerDuringTheSnapshot() throws Exception {
        String table = SNAP + ".busy";
        int initial = WRITER_ROWS;
        int chunkSize = Math.min(SnapshotSettings.DEFAULT_CHUNK_SIZE, Math.max(50, initial / 100));
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            KeyMovingWriter.createAndFill(st, table, initial);
        }
        long started = System.nanoTime();
        BinlogChangeSource source = snapshotting(List.of(table), chunkSize);
        AtomicBoolean stop = new AtomicBoolean();
        KeyMovingWriter writes = new KeyMovingWriter(table, initial, 42);
        List<Throwable> writerErrors = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try (Connection c = jdbc(); Statement st = c.createStatement()) {
                while (!stop.get()) { // at full speed, one statement per transaction, until the snapshot is done
                    writes.step(st);
                }
            } catch (Throwable e) {
                writerErrors.add(e);
            }
        }, "writer");
        writer.start();
        Map<Long, List<Object>> mirror = new HashMap<>();
        Map<Long, Integer> snapshotDeliveries = new HashMap<>();
        Set<Long> touchedByTheStream = new HashSet<>();
        long[] counts = new long[2]; // stream changes, snapshot rows
        Predicate<List<RowChange>> applyAll = changes -> {
            for (RowChange c : changes) {
                apply(mirror, c);
                if (c.type() == ChangeType.SNAPSHOT) {
                    snapshotDeliveries.merge(c.after().getLong("id"), 1, Integer::sum);
                    counts[1]++;
                } else {
                    counts[0]++;
                    for (Row image : new Row[] {c.before(), c.after()}) {
                        if (image != null) {
                            touchedByTheStream.add(image.getLong("id"));
                        }
                    }
                }
            }
            changes.clear();
            return false;
        };
        long[] writesDuringTheSnapshot = new long[1];
        pollUntil(source, table, changes -> {
            applyAll.test(changes);
            boolean done = source.snapshotStatus() != null && "DONE".equals(source.snapshotStatus().state());
            if (done && !stop.get()) {
                stop.set(true); // the writer ran all through the snapshot
                writesDuringTheSnapshot[0] = writes.steps();
            }
            return done && !writer.isAlive();
        }, Duration.ofSeconds(90 + initial / 1000));
        double seconds = (System.nanoTime() - started) / 1e9;
        stop.set(true);
        writer.join();
        assertThat(writerErrors).isEmpty();
        // A last marker row: once it is here, every change before it is too.
        server().execute("INSERT INTO " + table + " VALUES (-1, 0, 'marker')");
        pollUntil(source, table, changes -> {
            boolean marker = changes.stream().anyMatch(c -> c.after() != null && c.after().getLong("id") == -1);
            applyAll.test(changes);
            return marker;
        });
        Map<Long, List<Object>> expected;
        try (Connection c = jdbc()) {
            expected = select(c, table);
        }
        assertThat(new TreeMap<>(mirror)).isEqualTo(expected);
        // Every row that existed throughout and that the writer never touched came exactly once, as a snapshot row.
        List<Long> missing = new ArrayList<>();
        for (long i = 1; i <= initial; i++) {
            long id = i * 10;
            if (!touchedByTheStream.contains(id) && snapshotDeliveries.getOrDefault(id, 0) != 1) {
                missing.add(id);
            }
        }
        assertThat(missing).as("untouched rows not delivered exactly once as snapshot rows").isEmpty();
        assertThat(snapshotDeliveries).allSatisfy((id, n) -> assertThat(n).as("snapshot deliveries of %d", id)
                .isEqualTo(1));
        assertThat(writesDuringTheSnapshot[0]).as("writes while the snapshot ran").isPositive();
        assertThat(source.snapshotStatus().tables().get(0).chunks()).isGreaterThan(10);
        System.out.printf("Snapshot writer test (%s): %d rows in chunks of %d, %.1f s; %d writes during the snapshot,"
                        + " %d stream changes, %d snapshot rows delivered; %d rows at the end, mirror equal%n",
                getClass().getSimpleName(), initial, chunkSize, seconds, writesDuringTheSnapshot[0], counts[0],
                counts[1], expected.size());
    }

    @Test
    void snapshotRowsEqualTheBinlogInsertImages() throws Exception {
        AllTypesWorkload workload = new AllTypesWorkload(SNAP, "all_types", mariadb());
        server().execute("ALTER DATABASE " + SNAP + " CHARACTER SET utf8mb4",
                "DROP TABLE IF EXISTS " + SNAP + ".all_types", workload.createTable());
        BinlogChangeSource source = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        Map<Object, Object[]> selected;
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00'");
            for (String sql : workload.workload()) {
                st.execute(sql);
            }
            selected = JdbcRows.select(c, SNAP, "all_types");
        }
        String table = SNAP + ".all_types";
        List<RowChange> inserts = pollUntil(source, table, changes -> changes.size() == 5);
        assertThat(source.snapshot(List.of(table))).containsExactly(table);
        List<RowChange> snapshot = pollUntil(source, table, changes -> changes.size() == 5);
        assertThat(snapshot).extracting(RowChange::type).containsOnly(ChangeType.SNAPSHOT);
        for (int i = 0; i < 5; i++) {
            Row fromBinlog = inserts.get(i).after();
            Row fromSnapshot = snapshot.get(i).after();
            assertThat(fromSnapshot.getInteger("id")).isEqualTo(i + 1);
            for (int col = 0; col < fromBinlog.size(); col++) {
                String name = fromBinlog.schema().column(col).name();
                assertThat(fromSnapshot.get(name)).as("id %d column %s", i + 1, name).isEqualTo(fromBinlog.get(col));
            }
            JdbcRows.assertRow("snapshot of id " + (i + 1), fromSnapshot, selected.get(i + 1));
        }
    }

    /** Seeded random values in columns of every storage width: snapshot rows equal the binlog's insert images. */
    @Test
    void snapshotRowsOfRandomValuesEqualTheBinlogInsertImages() throws Exception {
        String table = SNAP + ".random_values";
        RandomValuesWorkload workload = new RandomValuesWorkload(table, 7);
        server().execute("DROP TABLE IF EXISTS " + table, workload.createTable());
        BinlogChangeSource source = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        server().execute(workload.inserts(40).toArray(String[]::new));
        List<RowChange> inserts = pollUntil(source, table, changes -> changes.size() == 40);
        assertThat(source.snapshot(List.of(table))).containsExactly(table);
        List<RowChange> snapshot = pollUntil(source, table, changes -> changes.size() == 40);
        for (int i = 0; i < 40; i++) {
            Row fromBinlog = inserts.get(i).after();
            Row fromSnapshot = snapshot.get(i).after();
            for (int col = 0; col < fromBinlog.size(); col++) {
                assertThat(fromSnapshot.get(col)).as("id %d column %s", i, fromBinlog.schema().column(col).name())
                        .isEqualTo(fromBinlog.get(col));
            }
        }
    }

    @Test
    void resumesAfterTheLastAcknowledgedChunk() throws Exception {
        String table = SNAP + ".resumed";
        server().execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table
                + " (a INT NOT NULL, b VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (a, b))");
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 0; i < 200; i++) {
            sql.append(i == 0 ? "" : ",").append("(").append(i / 4).append(",'b").append(i % 4).append("',").append(i).append(")");
        }
        server().execute(sql.toString());
        BinlogChangeSource first = snapshotting(List.of(table), 20);
        List<RowChange> firstRows = pollUntil(first, table, changes -> changes.size() >= 60);
        first.close();
        Checkpoint saved = store.load("resume").orElseThrow();
        SnapshotProgress progress = SnapshotProgress.decode(saved.snapshot());
        assertThat(progress.currentTable()).isEqualTo(table);
        assertThat(progress.rowsDone()).isEqualTo(firstRows.size());

        BinlogChangeSource second = snapshotting(List.of(table), 20);
        List<RowChange> secondRows = pollUntil(second, table, changes -> second.snapshotStatus() != null
                && "DONE".equals(second.snapshotStatus().state()));
        Set<Integer> firstValues = new HashSet<>();
        firstRows.forEach(r -> firstValues.add(r.after().getInteger("v")));
        Set<Integer> all = new HashSet<>(firstValues);
        for (RowChange r : secondRows) {
            assertThat(firstValues).as("read twice").doesNotContain(r.after().getInteger("v"));
            all.add(r.after().getInteger("v"));
        }
        assertThat(all).hasSize(200);
        assertThat(store.load("resume").orElseThrow().snapshot()).isNull();
    }

    @Test
    void initialOnlySnapshotsStopsAndItsCheckpointSaysTheSnapshotIsComplete() throws Exception {
        String table = SNAP + ".once";
        server().execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT)");
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 1; i <= 120; i++) {
            sql.append(i == 1 ? "" : ",").append("(").append(i).append(",").append(i).append(")");
        }
        server().execute(sql.toString());
        BinlogChangeSource source = new BinlogChangeSource(settings().start(latest()).build(), store,
                CheckpointPolicy.EVERY_BATCH);
        source.snapshots(new SnapshotSettings(SnapshotMode.INITIAL_ONLY, List.of(table), 25, Map.of()));
        sources.add(source);
        source.start();
        List<RowChange> rows = pollUntil(source, table, changes -> source.finished());
        assertThat(rows).hasSize(120).extracting(RowChange::type).containsOnly(ChangeType.SNAPSHOT);
        assertThat(rows).extracting(c -> c.after().getInteger("v")).doesNotHaveDuplicates();
        assertThat(source.state()).isEqualTo(dev.canalboot.source.SourceState.STOPPED);
        assertThat(source.poll(Duration.ofMillis(10))).isNull();
        Checkpoint done = store.load("resume").orElseThrow();
        assertThat(done.snapshot()).isEqualTo(SnapshotProgress.DONE);

        // Started again: the checkpoint says it is done, so it reads nothing and stops at once.
        server().execute("INSERT INTO " + table + " VALUES (121, 121)");
        BinlogChangeSource again = new BinlogChangeSource(settings().start(latest()).build(), store,
                CheckpointPolicy.EVERY_BATCH);
        again.snapshots(new SnapshotSettings(SnapshotMode.INITIAL_ONLY, List.of(table), 25, Map.of()));
        sources.add(again);
        again.start();
        assertThat(again.finished()).isTrue();
        assertThat(again.state()).isEqualTo(dev.canalboot.source.SourceState.STOPPED);
        assertThat(again.poll(Duration.ofMillis(10))).isNull();

        // In another mode the same checkpoint is a position to stream on from: the row written since comes.
        BinlogChangeSource streaming = snapshotting(List.of(table), 25);
        List<RowChange> later = pollUntil(streaming, table, changes -> !changes.isEmpty());
        assertThat(later).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(ChangeType.INSERT);
            assertThat(c.after().getInteger("id")).isEqualTo(121);
        });
        assertThat(streaming.snapshotStatus()).isNull(); // no snapshot: the checkpoint's says it is done
    }

    @Test
    void aTableAlteredDuringItsSnapshotIsDeliveredInTheShapeTheStreamHasThere() throws Exception {
        String table = SNAP + ".altered";
        server().execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT NOT NULL)");
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 1; i <= 200; i++) {
            sql.append(i == 1 ? "" : ",").append("(").append(i).append(",").append(i).append(")");
        }
        server().execute(sql.toString());
        BinlogChangeSource source = snapshotting(List.of(table), 10);
        List<ChangeEvent> seen = new ArrayList<>();
        // The test stops polling (so the snapshot waits with a chunk read) and alters the table: the chunk read
        // before the ALTER must not come after it in the old shape.
        pollEvents(source, seen, () -> snapshotRows(seen, table) >= 30);
        server().execute("ALTER TABLE " + table + " ADD COLUMN extra INT NOT NULL DEFAULT 7");
        pollEvents(source, seen, () -> snapshotRows(seen, table) >= 100);
        server().execute("ALTER TABLE " + table + " DROP COLUMN v");
        pollEvents(source, seen, () -> "DONE".equals(source.snapshotStatus().state()));

        Set<String> shape = Set.of("id", "v");
        int alters = 0;
        Map<Integer, Integer> times = new HashMap<>();
        for (ChangeEvent e : seen) {
            if (e instanceof dev.canalboot.model.SchemaChange ddl && ddl.sql().contains("altered")) {
                shape = ++alters == 1 ? Set.of("id", "v", "extra") : Set.of("id", "extra");
            } else if (e instanceof RowChange r && r.type() == ChangeType.SNAPSHOT && r.qualifiedTable().equals(table)) {
                Set<String> columns = new HashSet<>();
                r.after().schema().columns().forEach(c -> columns.add(c.name()));
                assertThat(columns).as("snapshot row %s after %d ALTERs", r.after().get("id"), alters).isEqualTo(shape);
                if (columns.contains("extra")) {
                    assertThat(r.after().getInteger("extra")).isEqualTo(7);
                }
                times.merge(r.after().getInteger("id"), 1, Integer::sum);
            }
        }
        assertThat(alters).isEqualTo(2);
        assertThat(times).hasSize(200).allSatisfy((id, n) -> assertThat(n).as("id %d delivered", id).isEqualTo(1));
    }

    static long snapshotRows(List<ChangeEvent> events, String table) {
        return events.stream().filter(e -> e instanceof RowChange r && r.type() == ChangeType.SNAPSHOT
                && r.qualifiedTable().equals(table)).count();
    }

    /** Polls (acknowledging) until {@code done} holds after a batch, collecting every event. */
    static void pollEvents(BinlogChangeSource source, List<ChangeEvent> seen, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("Gave up; status " + source.snapshotStatus().describe()
                        + ", source " + source.state() + " " + source.lastError());
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(100));
            if (batch != null) {
                seen.addAll(batch.events());
                source.ack(batch);
            }
        }
    }

    @Test
    void emptyTable() throws Exception {
        String table = SNAP + ".empty";
        server().execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        BinlogChangeSource source = snapshotting(List.of(table), 10);
        List<RowChange> rows = pollUntil(source, table, changes -> source.snapshotStatus() != null
                && "DONE".equals(source.snapshotStatus().state()));
        assertThat(rows).isEmpty();
        assertThat(source.snapshotStatus().tables()).singleElement()
                .satisfies(t -> assertThat(t.rowsDone()).isZero());
    }

    @Test
    void tableWithoutKeyIsRefused() throws Exception {
        String table = SNAP + ".no_key";
        server().execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (a INT, b INT, UNIQUE KEY (a))",
                "INSERT INTO " + table + " VALUES (1, 1), (2, 2)");
        BinlogChangeSource source = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        assertThatThrownBy(() -> source.snapshot(List.of(table))).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("no_key").hasMessageContaining("no primary key")
                .hasMessageContaining("snapshot.key-columns");
    }

    @Test
    void aTableDroppedDuringItsSnapshotEndsItsSnapshotAndTheSourceStreamsOn() throws Exception {
        String table = SNAP + ".dropped";
        server().execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id INT PRIMARY KEY)");
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 1; i <= 300; i++) {
            sql.append(i == 1 ? "" : ",").append("(").append(i).append(")");
        }
        server().execute(sql.toString());
        BinlogChangeSource source = snapshotting(List.of(table), 10);
        List<RowChange> before = pollUntil(source, table, changes -> changes.size() >= 20);
        server().execute("DROP TABLE " + table);
        List<RowChange> after = pollUntil(source, table, changes -> source.snapshotStatus() != null
                && !"RUNNING".equals(source.snapshotStatus().state()));
        assertThat(source.snapshotStatus().state()).isEqualTo("DONE");
        assertThat(before.size() + after.size()).isLessThan(300);
        assertThat(source.state()).isEqualTo(dev.canalboot.source.SourceState.CONNECTED);
        assertThat(store.load("resume").orElseThrow().snapshot()).isNull();
    }
}
