package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server does to a running or resuming source, on a server of the test's own (it is restarted, frozen
 * and purged): restart mid-stream, a frozen peer detected by the read timeout, binlog rotation, a purged binlog at
 * the stored position, and in-process reconnects resuming from the last delivered (not the last saved) position.
 */
abstract class ServerFailureContract extends ItemsTableContract {

    static final String SCHEMA = "server_failure";

    @Override
    String schema() {
        return SCHEMA;
    }
    static final AtomicLong SERVER_IDS = new AtomicLong(11000);

    BinlogSourceSettings.Builder settings() {
        DatabaseUser user = server().users().get(0);
        return BinlogSourceSettings.builder("failure", server().host(), server().port(), user.name(), user.password())
                .serverId(SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .connectTimeout(Duration.ofSeconds(2))
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(3))
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1), 100);
    }

    static List<Long> receive(BinlogChangeSource source, List<Long> expected) throws InterruptedException {
        return ResumeContract.receive(source, SCHEMA + ".items", expected, true);
    }

    String currentBinlog() throws Exception {
        try (Connection c = DriverManager.getConnection(server().jdbcUrl(null), server().rootUser(), server().rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString("File");
        }
    }

    @Test
    void aServerRestartMidStreamIsReconnectedAndNothingIsLost() throws Exception {
        BinlogChangeSource source = start(settings().build(), CheckpointPolicy.EVERY_BATCH);
        List<Long> before = insert(3);
        assertThat(receive(source, before)).containsExactlyElementsOf(before);
        String fileBefore = currentBinlog();

        server().restart();
        List<Long> after = insert(3);
        assertThat(receive(source, after)).containsExactlyElementsOf(after);
        assertThat(source.statistics().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(currentBinlog()).as("a restart rotates the binlog").isNotEqualTo(fileBefore);
        assertThat(source.acknowledgedPosition().file()).isEqualTo(currentBinlog());
    }

    @Test
    void aFrozenServerIsDetectedByTheReadTimeoutAndReconnectedAfterItThaws() throws Exception {
        BinlogChangeSource source = start(settings().build(), CheckpointPolicy.EVERY_BATCH);
        List<Long> before = insert(1);
        receive(source, before);
        long connection = source.connectionId();
        signal("STOP");
        try {
            long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (source.state() != SourceState.RECONNECTING) {
                assertThat(System.nanoTime()).as("read timeout noticed").isLessThan(guard);
                source.poll(Duration.ofMillis(100));
            }
        } finally {
            signal("CONT");
        }
        List<Long> after = insert(2);
        assertThat(receive(source, after)).containsExactlyElementsOf(after);
        assertThat(source.connectionId()).isNotEqualTo(connection);
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(server().pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, server().pid()).isZero();
    }

    @Test
    void rotatedBinlogsAreFollowedAndTheCheckpointMovesToTheNewFile() throws Exception {
        BinlogChangeSource source = start(settings().build(), CheckpointPolicy.EVERY_BATCH);
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(insert(2));
            server().execute("FLUSH BINARY LOGS");
        }
        all.addAll(insert(1));
        assertThat(receive(source, all)).containsExactlyElementsOf(all);
        source.close();
        Checkpoint saved = store.load("failure").orElseThrow();
        assertThat(saved.file()).isEqualTo(currentBinlog());

        server().execute("FLUSH BINARY LOGS");
        List<Long> later = insert(2);
        BinlogChangeSource resumed = start(settings().build(), CheckpointPolicy.EVERY_BATCH);
        assertThat(receive(resumed, later)).containsExactlyElementsOf(later);
    }

    @Test
    void aPurgedBinlogAtTheStoredPositionStopsTheSourceWithAClearErrorAndKeepsTheCheckpoint() throws Exception {
        BinlogChangeSource first = start(settings().build(), CheckpointPolicy.EVERY_BATCH);
        receive(first, insert(1));
        first.close();
        Checkpoint saved = store.load("failure").orElseThrow();

        insert(2);
        server().execute("FLUSH BINARY LOGS");
        purgeAllButTheCurrentBinlog();

        BinlogChangeSource resumed = new BinlogChangeSource(settings().build(), store, CheckpointPolicy.EVERY_BATCH);
        sources.add(resumed);
        Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(resumed);
        assertThat(error).isInstanceOf(SourceException.class)
                .hasMessageContaining("no longer on the server")
                .hasMessageContaining("earliest or latest")
                .hasMessageContaining("delete it");
        assertThat(((SourceException) error).isRetryable()).isFalse();
        assertThat(resumed.state()).isEqualTo(SourceState.FAILED);
        resumed.close();
        assertThat(store.load("failure")).as("never a silent jump: the checkpoint stays").contains(saved);
    }

    /** PURGE skips a file a closing dump thread still reads, so it is repeated until the older files are gone. */
    private void purgeAllButTheCurrentBinlog() throws Exception {
        String current = currentBinlog();
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            server().execute("PURGE BINARY LOGS TO '" + current + "'");
            try (Connection c = DriverManager.getConnection(server().jdbcUrl(null), server().rootUser(), server().rootPassword());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
                rs.next();
                if (rs.getString("Log_name").equals(current)) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as("binlogs before %s purged", current).isLessThan(guard);
            Thread.sleep(200);
        }
    }

    @Test
    void inProcessReconnectsResumeFromTheLastDeliveredPositionNotTheLastSavedOne() throws Exception {
        BinlogChangeSource source = start(settings().build(),
                CheckpointPolicy.EVERY_BATCH.withCommitInterval(Duration.ofHours(1)));
        List<Long> first = insert(1);
        receive(source, first);
        List<Long> delivered = insert(2);
        receive(source, delivered);
        server().execute("KILL " + source.connectionId());
        List<Long> after = insert(2);
        List<Long> received = receive(source, after);
        assertThat(received).containsExactlyElementsOf(after).doesNotContainAnyElementsOf(delivered);
        assertThat(source.statistics().reconnects()).isGreaterThanOrEqualTo(1);
    }
}
