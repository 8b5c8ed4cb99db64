package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source as a semi-synchronous replica of a MariaDB 11.4.5 running semi-sync: a writer's commit waits until
 * the source acknowledged the transaction (its batch acknowledged, its checkpoint saved) and returns then — or,
 * when nobody acknowledges, until the server's semi-sync timeout, after which the server goes asynchronous.
 */
class SemiSyncMariaDbIT {

    static EmbeddedMariaDb server;

    @TempDir
    Path checkpoints;
    final List<BinlogChangeSource> sources = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = EmbeddedMariaDb.builder().semiSync(true).start();
        server.execute("CREATE DATABASE semi", "CREATE TABLE semi.t (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeSources() {
        sources.forEach(BinlogChangeSource::close);
    }

    BinlogChangeSource start(FileCheckpointStore store) {
        DatabaseUser user = server.users().get(0);
        BinlogSourceSettings settings = BinlogSourceSettings.builder("semi", server.host(), server.port(), user.name(),
                        user.password())
                .serverId(31000 + sources.size()).tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10))
                .semiSync(true).build();
        BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH);
        sources.add(source);
        source.start();
        return source;
    }

    static long status(String variable) throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            assertThat(rs.next()).as("status variable %s", variable).isTrue();
            String value = rs.getString(2);
            return value.equals("ON") ? 1 : value.equals("OFF") ? 0 : Long.parseLong(value);
        }
    }

    static Connection jdbc() throws Exception {
        return DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
    }

    static CompletableFuture<Void> commitAsync(int id) {
        return CompletableFuture.runAsync(() -> server.execute("INSERT INTO semi.t VALUES (" + id + ")"));
    }

    /** Polls (without acknowledging: the listener has not returned) until the batch with row {@code id}. */
    static ChangeBatch pollUntilRow(BinlogChangeSource source, int id) throws InterruptedException {
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < guard) {
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch == null) {
                continue;
            }
            for (ChangeEvent event : batch.events()) {
                if (event instanceof RowChange row && row.table().equals("t") && row.after().getInteger("id") == id) {
                    return batch;
                }
            }
            source.ack(batch);
        }
        throw new AssertionError("row " + id + " never came");
    }

    @Test
    void aCommitWaitsUntilTheSourceAcknowledgedTheTransactionAndReturnsThen() throws Exception {
        server.execute("SET GLOBAL rpl_semi_sync_master_timeout = 600000", "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                "SET GLOBAL rpl_semi_sync_master_enabled = ON"); // switching on again resets a timed-out status
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        BinlogChangeSource source = start(store);
        long acknowledgedBefore = status("Rpl_semi_sync_master_yes_tx");
        long unacknowledgedBefore = status("Rpl_semi_sync_master_no_tx");

        CompletableFuture<Void> commit = commitAsync(1);
        ChangeBatch batch = pollUntilRow(source, 1);
        // The transaction reached the source, its listener "runs": the writer's commit must still wait (for up to
        // the 10-minute semi-sync timeout)
        assertThat(commit).isNotDone();
        assertThat(status("Rpl_semi_sync_master_clients")).isEqualTo(1);

        source.ack(batch);
        commit.get(60, TimeUnit.SECONDS);
        assertThat(status("Rpl_semi_sync_master_yes_tx")).as("commits acknowledged by the replica")
                .isEqualTo(acknowledgedBefore + 1);
        assertThat(status("Rpl_semi_sync_master_no_tx")).as("commits that timed out").isEqualTo(unacknowledgedBefore);
        assertThat(store.load("semi").orElseThrow().position()).as("checkpoint saved before the acknowledgement")
                .isEqualTo(source.acknowledgedPosition().position());

        // The stream goes on after an acknowledgement (the server restarted its packet sequence), and so does semi-sync
        CompletableFuture<Void> next = commitAsync(3);
        ChangeBatch nextBatch = pollUntilRow(source, 3);
        assertThat(next).isNotDone();
        source.ack(nextBatch);
        next.get(60, TimeUnit.SECONDS);
        assertThat(status("Rpl_semi_sync_master_yes_tx")).isEqualTo(acknowledgedBefore + 2);
    }

    @Test
    void withoutAnAcknowledgementTheCommitReturnsAfterTheServersTimeoutAndTheServerGoesAsynchronous() throws Exception {
        server.execute("SET GLOBAL rpl_semi_sync_master_timeout = 1000", "SET GLOBAL rpl_semi_sync_master_enabled = OFF",
                "SET GLOBAL rpl_semi_sync_master_enabled = ON");
        BinlogChangeSource source = start(new FileCheckpointStore(checkpoints));
        long unacknowledgedBefore = status("Rpl_semi_sync_master_no_tx");

        CompletableFuture<Void> commit = commitAsync(2);
        ChangeBatch batch = pollUntilRow(source, 2);
        commit.get(60, TimeUnit.SECONDS); // the listener never returns: only the timeout lets the commit go
        assertThat(status("Rpl_semi_sync_master_no_tx")).isEqualTo(unacknowledgedBefore + 1);
        assertThat(status("Rpl_semi_sync_master_status")).as("semi-sync switched off after the timeout").isZero();
        source.ack(batch);

        commitAsync(4).get(60, TimeUnit.SECONDS);
        source.ack(pollUntilRow(source, 4));
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }
}
