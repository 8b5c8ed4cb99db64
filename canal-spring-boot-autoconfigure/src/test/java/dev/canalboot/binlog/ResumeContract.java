package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume through a checkpoint store against each real server: a restarted source continues after the last
 * acknowledged transaction (by GTID when the server has them, else by file and offset), an unacknowledged batch
 * comes again, the commit interval defers saves to close, and the start mode wins only when told to.
 */
abstract class ResumeContract extends ItemsTableContract {

    static final AtomicLong SERVER_IDS = new AtomicLong(7000);
    static final String SCHEMA = "resume_e2e";

    @Override
    String schema() {
        return SCHEMA;
    }

    /** The configured start used by the tests: the server's current end. */
    StartPosition latest() {
        return new StartPosition.Latest();
    }

    BinlogSourceSettings.Builder settings() {
        DatabaseUser user = server().users().get(0);
        return BinlogSourceSettings.builder("resume", server().host(), server().port(), user.name(), user.password())
                .serverId(SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 20);
    }

    /** Polls until the rows with all of {@code expected} ids came, acknowledging each batch when asked. */
    static List<Long> receive(BinlogChangeSource source, List<Long> expected, boolean ack) throws InterruptedException {
        return receive(source, SCHEMA + ".items", expected, ack);
    }

    /** Polls until the rows of {@code table} with all of {@code expected} ids came; returns every id of it received. */
    static List<Long> receive(BinlogChangeSource source, String table, List<Long> expected, boolean ack)
            throws InterruptedException {
        List<Long> received = new ArrayList<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!received.containsAll(expected)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("Gave up waiting for " + expected + "; received " + received);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch == null) {
                continue;
            }
            for (ChangeEvent event : batch.events()) {
                if (event instanceof RowChange row && row.qualifiedTable().equals(table)) {
                    received.add(row.row().getLong("id"));
                }
            }
            if (ack) {
                source.ack(batch);
            }
        }
        return received;
    }

    Connection jdbc() throws Exception {
        return DriverManager.getConnection(server().jdbcUrl(null), server().rootUser(), server().rootPassword());
    }

    String[] binlogEnd() throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }

    @Test
    void aRestartedSourceResumesAfterTheLastAcknowledgedTransactionByGtid() throws Exception {
        BinlogChangeSource first = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        List<Long> before = insert(3);
        assertThat(receive(first, before, true)).containsExactlyElementsOf(before);
        first.close();
        Checkpoint saved = store.load("resume").orElseThrow();
        assertThat(saved.hasGtidSet()).as("checkpoint %s carries the GTIDs", saved).isTrue();
        assertThat(saved.file()).isEqualTo(binlogEnd()[0]);
        assertThat(saved.position()).isEqualTo(Long.parseLong(binlogEnd()[1]));

        List<Long> after = insert(2);
        BinlogChangeSource second = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        assertThat(receive(second, after, true)).containsExactlyElementsOf(after);
    }

    @Test
    void aCheckpointWithoutGtidsResumesByFileAndOffset() throws Exception {
        List<Long> skipped = insert(1);
        String[] end = binlogEnd();
        store.save(new Checkpoint("resume", end[0], Long.parseLong(end[1]), null, Instant.now()));
        List<Long> after = insert(2);
        BinlogChangeSource source = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        List<Long> received = receive(source, after, true);
        assertThat(received).containsExactlyElementsOf(after).doesNotContainAnyElementsOf(skipped);
        Checkpoint saved = store.load("resume").orElseThrow();
        assertThat(saved.position()).isEqualTo(Long.parseLong(binlogEnd()[1]));
    }

    @Test
    void aFileStartTracksGtidsSoItsCheckpointsResumeByGtid() throws Exception {
        insert(2);
        String[] end = binlogEnd();
        List<Long> after = insert(2);
        BinlogChangeSource source = start(settings()
                .start(new StartPosition.FilePosition(end[0], Long.parseLong(end[1]))).build(), CheckpointPolicy.EVERY_BATCH);
        assertThat(receive(source, after, true)).containsExactlyElementsOf(after);
        source.close();
        Checkpoint saved = store.load("resume").orElseThrow();
        assertThat(saved.hasGtidSet()).as("checkpoint %s carries the GTIDs", saved).isTrue();

        // Resume by GTID alone: the file in the checkpoint is not needed
        store.save(new Checkpoint("resume", null, -1, saved.gtidSet(), Instant.now()));
        List<Long> later = insert(1);
        BinlogChangeSource resumed = start(settings().build(), CheckpointPolicy.EVERY_BATCH);
        assertThat(receive(resumed, later, true)).containsExactlyElementsOf(later);
    }

    @Test
    void anUnacknowledgedBatchIsDeliveredAgainAfterARestart() throws Exception {
        BinlogChangeSource first = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        List<Long> acked = insert(1);
        receive(first, acked, true);
        List<Long> notAcked = insert(2);
        receive(first, notAcked, false);
        first.close();

        BinlogChangeSource second = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        assertThat(receive(second, notAcked, true)).containsExactlyElementsOf(notAcked).doesNotContainAnyElementsOf(acked);
    }

    @Test
    void theCommitIntervalDefersSavesUntilCloseWhichSavesTheLastAcknowledged() throws Exception {
        BinlogChangeSource source = start(settings().start(latest()).build(),
                CheckpointPolicy.EVERY_BATCH.withCommitInterval(Duration.ofHours(1)));
        List<Long> firstRows = insert(1);
        receive(source, firstRows, true);
        Checkpoint firstSave = store.load("resume").orElseThrow();
        List<Long> moreRows = insert(2);
        receive(source, moreRows, true);
        assertThat(store.load("resume").orElseThrow().position()).as("deferred by the interval")
                .isEqualTo(firstSave.position());
        source.close();
        assertThat(store.load("resume").orElseThrow().position()).isEqualTo(Long.parseLong(binlogEnd()[1]));
    }

    @Test
    void whenTheCheckpointDoesNotWinTheConfiguredStartIsUsed() throws Exception {
        BinlogChangeSource first = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        receive(first, insert(1), true);
        first.close();
        List<Long> missed = insert(2);
        BinlogChangeSource second = start(settings().start(latest()).build(),
                CheckpointPolicy.EVERY_BATCH.withCheckpointWins(false));
        List<Long> after = insert(1);
        assertThat(receive(second, after, true)).containsExactlyElementsOf(after).doesNotContainAnyElementsOf(missed);
        assertThat(store.load("resume").orElseThrow().position()).isEqualTo(Long.parseLong(binlogEnd()[1]));
    }
}
