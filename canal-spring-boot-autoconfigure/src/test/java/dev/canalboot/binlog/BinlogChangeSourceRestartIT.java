package dev.canalboot.binlog;

import dev.canalboot.source.ReconnectPolicy;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.FreezingProxy;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A binlog source started again after {@code close()} or a failure, against a real MySQL 8.0.31. */
class BinlogChangeSourceRestartIT {

    static final AtomicLong SERVER_IDS = new AtomicLong(7000);
    static final String TABLE = "binlog_restart.t";
    static EmbeddedMySql server;
    final List<BinlogChangeSource> sources = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        server = TestServers.mysql();
        server.execute("CREATE DATABASE IF NOT EXISTS binlog_restart",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY)",
                "DELETE FROM " + TABLE);
    }

    @AfterEach
    void closeSources() {
        sources.forEach(BinlogChangeSource::close);
    }

    /** A replication user of this test alone, so taking privileges away disturbs no other test. */
    static String replicationUser(String name) {
        server.execute("DROP USER IF EXISTS " + name + "@'%'",
                "CREATE USER " + name + "@'%' IDENTIFIED BY 'restart-pw'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO " + name + "@'%'");
        return name;
    }

    BinlogChangeSource source(String user, int maxReconnectAttempts) {
        return source(user, server.port(), maxReconnectAttempts);
    }

    BinlogChangeSource source(String user, int port, int maxReconnectAttempts) {
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("restart", "127.0.0.1",
                        port, user, "restart-pw")
                .serverId(SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500), maxReconnectAttempts)
                .build());
        sources.add(source);
        return source;
    }

    static void insert(int... ids) {
        for (int id : ids) {
            server.execute("INSERT INTO " + TABLE + " VALUES (" + id + ")");
        }
    }

    static List<Integer> ids(List<ChangeEvent> events) {
        return events.stream().filter(e -> e instanceof RowChange r && r.qualifiedTable().equals(TABLE))
                .map(e -> ((RowChange) e).after().getInteger("id")).toList();
    }

    /** Polls until a row with {@code lastId} arrived, acknowledging each batch if {@code ack}; returns the ids seen. */
    static List<Integer> idsUntil(BinlogChangeSource source, int lastId, boolean ack) throws InterruptedException {
        List<Integer> seen = new ArrayList<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!seen.contains(lastId)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("row " + lastId + " did not arrive; rows so far: " + seen);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                seen.addAll(ids(batch.events()));
                if (ack) {
                    source.ack(batch);
                }
            }
        }
        return seen;
    }

    @Test
    void aServerNotUpYetAtStartUpIsRetriedWithTheReconnectBackOffAndThenDelivers() throws Exception {
        int port = freePort();
        BinlogChangeSource source = source(replicationUser("early_riser"), port, ReconnectPolicy.FOREVER);
        source.start(); // nothing listens on the port yet: refused
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(source.poll(Duration.ofMillis(300))).isNull();
        assertThat(source.statistics().reconnects()).as("retried in the background").isPositive();

        try (FreezingProxy serverComesUp = new FreezingProxy("127.0.0.1", server.port(), port)) {
            long guard = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (source.state() != SourceState.CONNECTED && System.nanoTime() < guard) {
                assertThat(source.poll(Duration.ofMillis(50))).isNull();
            }
            assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
            insert(41);
            assertThat(idsUntil(source, 41, true)).containsExactly(41);
            source.close();
        }
    }

    @Test
    void aWrongPasswordAtStartUpIsNotRetried() {
        String user = replicationUser("wrong_pw");
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("restart", "127.0.0.1",
                        server.port(), user, "not-the-password")
                .serverId(SERVER_IDS.incrementAndGet()).tls(TlsSettings.DISABLED)
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500), ReconnectPolicy.FOREVER).build());
        sources.add(source);
        assertThatThrownBy(source::start).isInstanceOfSatisfying(SourceException.class,
                e -> assertThat(e.isRetryable()).isFalse()).hasMessageContaining("Access denied");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.statistics().reconnects()).isZero();
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startedAgainAfterCloseItResumesFromTheAcknowledgedTransaction() throws Exception {
        BinlogChangeSource source = source(replicationUser("restart_close"), 20);
        source.start();
        insert(101, 102);
        assertThat(idsUntil(source, 102, true)).containsExactly(101, 102);
        BinlogCheckpoint acknowledged = source.acknowledgedPosition();
        insert(103);
        assertThat(idsUntil(source, 103, false)).containsExactly(103); // read, never acknowledged
        long batchesBefore = source.statistics().batches();

        source.close();
        source.close(); // still idempotent
        assertThat(source.state()).isEqualTo(SourceState.STOPPED);
        insert(104, 105);

        source.start();
        assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("restart").hasMessageContaining("close it before starting it again");
        // 103 comes again (it was not acknowledged); nothing up to the acknowledged 102 does.
        assertThat(idsUntil(source, 105, true)).containsExactly(103, 104, 105);
        assertThat(source.acknowledgedPosition()).isNotEqualTo(acknowledged);
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.statistics().batches()).as("counters keep counting").isGreaterThan(batchesBefore);
    }

    @Test
    void startedAgainBeforeAnyAcknowledgementItStartsWhereTheFirstStartResolvedTo() throws Exception {
        BinlogChangeSource source = source(replicationUser("restart_early"), 20);
        source.start(); // latest: resolved to the server's position now
        source.close();
        insert(201, 202);
        source.start();
        assertThat(idsUntil(source, 202, true)).containsExactly(201, 202);
    }

    /**
     * What an operator meets: the replication privilege was taken away, the source failed for good at its next
     * connection; once the privilege is back, starting it again delivers what was written meanwhile.
     */
    @Test
    void startedAgainAfterAFailureItDeliversWhatWasWrittenMeanwhile() throws Exception {
        String user = replicationUser("restart_failed");
        BinlogChangeSource source = source(user, 3);
        source.start();
        insert(301);
        assertThat(idsUntil(source, 301, true)).containsExactly(301);

        server.execute("REVOKE REPLICATION SLAVE ON *.* FROM " + user + "@'%'", "KILL " + source.connectionId());
        insert(302);
        Throwable error = BinlogChangeSourceMySqlIT.catchFromPoll(source);
        assertThat(error).isInstanceOf(SourceException.class).hasMessageContaining(user)
                .hasMessageContaining("lacks a privilege");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.lastError()).isSameAs(error);

        server.execute("GRANT REPLICATION SLAVE ON *.* TO " + user + "@'%'");
        insert(303);
        source.start(); // not closed first: the failed run's resources are released by the start
        assertThat(idsUntil(source, 303, true)).containsExactly(302, 303);
        assertThat(source.lastError()).isNull();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }
}
