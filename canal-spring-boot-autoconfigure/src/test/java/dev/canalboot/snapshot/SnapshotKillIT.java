package dev.canalboot.snapshot;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.JvmKillLoop;
import dev.canalboot.testsupport.KeyMovingWriter;
import dev.canalboot.testsupport.SnapshotKillMain;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer JVM ({@link SnapshotKillMain}: snapshot mode {@code initial}, file checkpoints, poll → fsync'd log → ack)
 * is killed with SIGKILL while a paced writer inserts, updates, moves keys and deletes, and started again each time:
 * <ol>
 * <li>{@code -Dsnapshot.kills} times (default 1) <b>during the snapshot</b> of a 20,000-row table in chunks of 100,
 * after a random number of its snapshot rows are acknowledged;</li>
 * <li>{@code -Dsnapshot.handover.kills} times (default: as many) <b>at the hand-over</b> to streaming. Each launch hands
 * over a snapshot: the one its checkpoint records as running, else a fresh on-demand snapshot of the table (chunks of
 * 1,000) it asks for. "At the hand-over" is one of two moments, alternating, both told by the consumer's own output:
 * <ul>
 * <li><i>before the acknowledgement</i> (first, and every other): the consumer has polled and logged the batch that
 * completes the snapshot (the source's snapshot status turns DONE in the poll that hands that batch out; the
 * consumer prints {@code HANDOVER}) and is killed before it acknowledges it ({@code HOLDING}, no
 * {@code HANDED-OVER}): its checkpoint still records the snapshot running before its last chunk, so the next launch
 * must say it resumed one, and reads that chunk again;</li>
 * <li><i>after the acknowledgement</i>: the consumer acknowledged that batch ({@code HANDED-OVER}) and is killed 0–300
 * ms later while it streams on: its checkpoint says the snapshot is done, so the next launch must say it resumed
 * none.</li>
 * </ul></li>
 * </ol>
 * Then a last launch hands over the snapshot it resumes or asks for and streams to the end. The deliveries of all runs applied in order equal the final {@code SELECT};
 * the server's count of chunk {@code SELECT}s (performance_schema) exceeds the chunks delivered by at most one per
 * kill (the chunk read and not yet delivered) and one per snapshot (a last chunk that found no rows); within one
 * snapshot, the snapshot rows delivered again after a kill are at most one chunk per kill (the one delivered and not
 * yet acknowledged), and a kill after the hand-over's acknowledgement delivers none again.
 */
class SnapshotKillIT {

    private static final String SCHEMA = "snapshot_kill";
    private static final int KILLS = Integer.getInteger("snapshot.kills", 1);
    private static final int HANDOVER_KILLS = Integer.getInteger("snapshot.handover.kills", KILLS);
    private static final int ROWS = 20_000;
    private static final int CHUNK = 100;
    /** The hand-over rounds' chunks: each round reads the whole table again, in fewer chunks. */
    private static final int ROUND_CHUNK = 1_000;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(120 + 20L * (KILLS + HANDOVER_KILLS));

    @TempDir
    Path work;

    @Test
    void killedDuringTheSnapshotAndAtTheHandOverTheDeliveriesEqualTheTable() throws Exception {
        EmbeddedMySql db = TestServers.mysql();
        DatabaseUser user = db.users().get(0);
        String table = SCHEMA + ".t";
        db.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
        try (Connection c = jdbc(db); Statement st = c.createStatement()) {
            KeyMovingWriter.createAndFill(st, table, ROWS);
        }
        long readsBefore = chunkReads(db);
        Path checkpoints = Files.createDirectories(work.resolve("checkpoints"));
        Path log = work.resolve("deliveries.log");
        Launcher launcher = (output, chunk, handOver, again) -> JvmKillLoop.java(output, SnapshotKillMain.class,
                db.host(), String.valueOf(db.port()), user.name(), user.password(), "46018", checkpoints.toString(),
                log.toString(), table, String.valueOf(chunk), handOver, again);

        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> writerErrors = new ArrayList<>();
        KeyMovingWriter writes = new KeyMovingWriter(table, ROWS, 7);
        Thread writer = new Thread(() -> {
            try (Connection c = jdbc(db); Statement st = c.createStatement()) {
                while (!stop.get()) {
                    writes.step(st);
                    Thread.sleep(5);
                }
            } catch (Throwable e) {
                writerErrors.add(e);
            }
        }, "writer");

        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        long guard = System.nanoTime() + DEADLINE_NANOS;
        long started = System.nanoTime();
        int duringSnapshot = 0;
        int beforeAck = 0;
        int afterAck = 0;
        int launches = 0;
        List<String> landed = new ArrayList<>();
        Process process = null;
        Path output = null;
        try {
            writer.start();
            for (int kill = 0; kill < KILLS; kill++) {
                output = work.resolve("run-" + launches + ".out");
                process = launcher.launch(output, CHUNK, "go", "initial");
                String ready = await(process, output, "READY", guard);
                assertThat(ready).as("launch %d snapshots (the table must outlast the kills)", launches)
                        .isEqualTo(launches == 0 ? "READY snapshot new" : "READY snapshot resumed");
                launches++;
                long threshold = 1 + random.nextInt(CHUNK * 5);
                while (rows(output) < threshold) {
                    alive(process, output, guard);
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(30));
                process.destroyForcibly().waitFor();
                assertThat(Files.readString(output)).as("kill %d landed during the snapshot", kill)
                        .doesNotContain("HANDOVER");
                duringSnapshot++;
                landed.add("during");
            }
            String expectedReady = KILLS == 0 ? "READY snapshot new" : "READY snapshot resumed";
            for (int kill = 0; kill < HANDOVER_KILLS; kill++) {
                boolean hold = kill % 2 == 0;
                output = work.resolve("run-" + launches + ".out");
                process = launcher.launch(output, ROUND_CHUNK, hold ? "hold" : "go", "again");
                assertThat(await(process, output, "READY", guard)).as("launch %d", launches).isEqualTo(expectedReady);
                launches++;
                if (hold) {
                    await(process, output, "HOLDING", guard);
                } else {
                    await(process, output, "HANDED-OVER", guard);
                    Thread.sleep(random.nextInt(301));
                }
                process.destroyForcibly().waitFor();
                String out = Files.readString(output);
                assertThat(out).as("hand-over kill %d: the consumer logged the batch completing the snapshot", kill)
                        .contains("\nHANDOVER\n");
                if (hold) {
                    assertThat(out).as("hand-over kill %d landed before the acknowledgement", kill)
                            .contains("HOLDING").doesNotContain("HANDED-OVER");
                    beforeAck++;
                    landed.add("before-ack");
                    expectedReady = "READY snapshot resumed";
                } else {
                    assertThat(out).as("hand-over kill %d landed after the acknowledgement", kill).contains("HANDED-OVER");
                    afterAck++;
                    landed.add("after-ack");
                    expectedReady = "READY snapshot none";
                }
            }
            output = work.resolve("run-" + launches + ".out");
            process = launcher.launch(output, ROUND_CHUNK, "go", "again");
            assertThat(await(process, output, "READY", guard)).as("the last launch").isEqualTo(expectedReady);
            launches++;
            await(process, output, "HANDED-OVER", guard);
            stop.set(true);
            writer.join();
            db.execute("INSERT INTO " + table + " VALUES (-1, 0, 'marker')");
            while (!Files.readString(log).contains("INSERT - -1 0 marker ;")) {
                alive(process, output, guard);
                Thread.sleep(50);
            }
        } finally {
            stop.set(true);
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
        }
        assertThat(writerErrors).isEmpty();
        long reads = chunkReads(db) - readsBefore;

        Deliveries deliveries = Deliveries.read(log);
        Map<Long, String> expected = new TreeMap<>();
        try (Connection c = jdbc(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, k, v FROM " + table)) {
            while (rs.next()) {
                expected.put(rs.getLong(1), rs.getLong(2) + " " + rs.getString(3));
            }
        }
        assertThat(new TreeMap<>(deliveries.mirror)).as("the deliveries of all runs applied in order").isEqualTo(expected);
        assertThat(duringSnapshot).as("kills during the snapshot").isEqualTo(KILLS);
        assertThat(beforeAck + afterAck).as("kills at the hand-over").isEqualTo(HANDOVER_KILLS);
        int kills = KILLS + HANDOVER_KILLS;
        // Each kill may lose the chunk read and not yet delivered; delivered chunks are counted in the log. One more
        // per snapshot: a last chunk that found no rows (the table ended at a chunk boundary) is read but logs nothing.
        assertThat(reads).as("chunk SELECTs against chunks delivered (%d), kills and snapshots (%d)", deliveries.chunks,
                deliveries.snapshots).isLessThanOrEqualTo(deliveries.chunks + kills + deliveries.snapshots);
        assertThat(deliveries.snapshotRowsAgain).as("snapshot rows delivered again within a snapshot")
                .isLessThanOrEqualTo((long) KILLS * CHUNK + (long) beforeAck * ROUND_CHUNK);
        assertThat(deliveries.snapshots).as("snapshots: the initial one and one per kill after the acknowledgement")
                .isEqualTo(1 + afterAck);
        System.out.printf("Snapshot kill test: %d kills (%d during the snapshot, %d at the hand-over: %d before its"
                        + " acknowledgement, %d after; in order: %s), %d launches, %d snapshots, %d writes; %d chunk"
                        + " SELECTs, %d chunks delivered (%d snapshot rows, %d of them again within their snapshot after"
                        + " a kill); %d rows at the end, deliveries equal; %.1f s%n", kills, duringSnapshot,
                beforeAck + afterAck, beforeAck, afterAck, String.join(" ", landed), launches, deliveries.snapshots,
                writes.steps(), reads, deliveries.chunks, deliveries.snapshotRows, deliveries.snapshotRowsAgain,
                expected.size(), (System.nanoTime() - started) / 1e9);
    }

    /** Starts the consumer: chunk size, hand-over ({@code go} or {@code hold}), {@code again} or {@code initial}. */
    @FunctionalInterface
    private interface Launcher {
        Process launch(Path output, int chunk, String handOver, String again) throws Exception;
    }

    /** The consumer's log read back: the mirror its row changes build in order, and its snapshot counts. */
    private static final class Deliveries {
        final Map<Long, String> mirror = new HashMap<>();
        /** The initial snapshot and each on-demand one ({@code SNAPSHOT-START}). */
        long snapshots = 1;
        long chunks;
        long snapshotRows;
        long snapshotRowsAgain;

        static Deliveries read(Path log) throws Exception {
            Deliveries d = new Deliveries();
            Map<Long, Integer> snapshotted = new HashMap<>();
            for (String line : Files.readAllLines(log)) {
                if (line.equals("SNAPSHOT-START")) {
                    d.snapshots++;
                    snapshotted.clear(); // a new snapshot delivers every row again
                    continue;
                }
                if (!line.endsWith(" ;")) {
                    continue; // RUN, an empty line, or the line a kill tore
                }
                String[] f = line.split(" ");
                if (f[0].equals("CHUNK")) {
                    d.chunks++;
                    continue;
                }
                if (!f[1].equals("-")) {
                    d.mirror.remove(Long.parseLong(f[1]));
                }
                if (!f[2].equals("-")) {
                    d.mirror.put(Long.parseLong(f[2]), f[3] + " " + f[4]);
                }
                if (f[0].equals("SNAPSHOT")) {
                    d.snapshotRows++;
                    if (snapshotted.merge(Long.parseLong(f[2]), 1, Integer::sum) > 1) {
                        d.snapshotRowsAgain++;
                    }
                }
            }
            return d;
        }
    }

    /** The server's count of chunk SELECTs of the schema so far (statement digests in performance_schema). */
    private static long chunkReads(EmbeddedMySql db) throws Exception {
        try (Connection c = jdbc(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(COUNT_STAR), 0) FROM"
                     + " performance_schema.events_statements_summary_by_digest WHERE DIGEST_TEXT LIKE 'SELECT%'"
                     + " AND DIGEST_TEXT LIKE '%" + SCHEMA + "%' AND DIGEST_TEXT LIKE '%LIMIT%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long rows(Path output) throws Exception {
        long rows = 0;
        for (String line : Files.readAllLines(output)) {
            if (line.startsWith("ROWS ")) {
                rows = Long.parseLong(line.substring(5).trim());
            }
        }
        return rows;
    }

    /** Waits for a line of the output that starts with {@code prefix}; returns it. */
    private static String await(Process process, Path output, String prefix, long guard) throws Exception {
        while (true) {
            if (Files.exists(output)) {
                for (String line : Files.readAllLines(output)) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
            alive(process, output, guard);
            Thread.sleep(5);
        }
    }

    private static void alive(Process process, Path output, long guard) throws Exception {
        String text = Files.exists(output) ? Files.readString(output) : "";
        assertThat(process.isAlive()).as("consumer alive; output:%n%s", text).isTrue();
        assertThat(System.nanoTime()).as("in time; output:%n%s", text).isLessThan(guard);
    }

    private static Connection jdbc(EmbeddedMySql db) throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
    }
}
