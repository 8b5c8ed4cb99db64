package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.FreezingProxy;
import dev.canalboot.testsupport.TestServers;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binlog source against a real MySQL 8.0.31 (GTID mode on), with the header-only test decoder. */
class BinlogChangeSourceMySqlIT {

    static final AtomicLong SERVER_IDS = new AtomicLong(1000);
    static EmbeddedMySql server;
    final List<BinlogChangeSource> sources = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        server = TestServers.mysql();
        server.execute("CREATE DATABASE IF NOT EXISTS binlog_conn",
                "CREATE TABLE IF NOT EXISTS binlog_conn.orders (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(50), amount INT)",
                "CREATE USER IF NOT EXISTS repl@'%' IDENTIFIED BY 'repl-pw'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO repl@'%'",
                "CREATE USER IF NOT EXISTS norepl@'%' IDENTIFIED BY 'norepl-pw'",
                "GRANT SELECT ON *.* TO norepl@'%'");
    }

    @AfterEach
    void closeSources() {
        sources.forEach(BinlogChangeSource::close);
    }

    static BinlogSourceSettings.Builder settings() {
        return BinlogSourceSettings.builder("orders", "127.0.0.1", server.port(), "repl", "repl-pw")
                .serverId(SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 20);
    }

    BinlogChangeSource start(BinlogSourceSettings settings) {
        return start(settings, null);
    }

    BinlogChangeSource start(BinlogSourceSettings settings, BinlogCheckpoint initial) {
        BinlogChangeSource source = new BinlogChangeSource(settings, initial, HeaderDecoder.FACTORY);
        sources.add(source);
        source.start();
        return source;
    }

    /** Polls (acknowledging) until {@code done} holds for the events so far; a generous guard against hanging. */
    static List<ChangeEvent> pollUntil(BinlogChangeSource source, Predicate<List<ChangeEvent>> done, boolean ack)
            throws InterruptedException {
        List<ChangeEvent> events = new ArrayList<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(events)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("Gave up waiting; events so far: " + events);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                events.addAll(batch.events());
                if (ack) {
                    source.ack(batch);
                }
            }
        }
        return events;
    }

    static Predicate<List<ChangeEvent>> commits(int n) {
        return events -> events.stream().filter(e -> e instanceof TransactionBoundary t
                && t.kind() == TransactionBoundary.Kind.COMMIT).count() >= n;
    }

    static List<RowChange> rows(List<ChangeEvent> events) {
        return events.stream().filter(RowChange.class::isInstance).map(RowChange.class::cast).toList();
    }

    static String[] masterStatus() throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position"), rs.getString("Executed_Gtid_Set")};
        }
    }

    @Test
    void insertUpdateDeleteFromLatestArriveInOrderAndAcknowledgeTheTransactionEnd() throws Exception {
        BinlogChangeSource source = start(settings().build());
        assertThat(source.state()).isIn(SourceState.CONNECTING, SourceState.CONNECTED);
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('apple', 1)",
                "UPDATE binlog_conn.orders SET amount = 2 WHERE item = 'apple'",
                "DELETE FROM binlog_conn.orders WHERE item = 'apple'");
        List<ChangeEvent> events = pollUntil(source, commits(3), true);
        assertThat(rows(events)).extracting(RowChange::type)
                .containsExactly(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.DELETE);
        assertThat(rows(events)).allSatisfy(r -> assertThat(r.qualifiedTable()).isEqualTo("binlog_conn.orders"));
        String[] status = masterStatus();
        BinlogCheckpoint acked = source.acknowledgedPosition();
        assertThat(acked.file()).isEqualTo(status[0]);
        assertThat(acked.position()).isEqualTo(Long.parseLong(status[1]));
        assertThat(GtidSet.parse(acked.mysqlGtids())).isEqualTo(GtidSet.parse(status[2]));
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.statistics().bytesRead()).isPositive();
        assertThat(source.statistics().lastEventTimestamp()).isNotNull();
        source.close();
        assertThat(source.state()).isEqualTo(SourceState.STOPPED);
    }

    @Test
    void dumpByGtidSetSendsOnlyTransactionsNotInIt() throws Exception {
        String[] before = masterStatus();
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('by-gtid', 8)");
        String[] after = masterStatus();
        BinlogChangeSource source = start(settings()
                .start(new StartPosition.MySqlGtids(GtidSet.parse(before[2]))).build());
        List<ChangeEvent> events = pollUntil(source, commits(1), true);
        assertThat(rows(events)).hasSize(1);
        String gtid = ((TransactionBoundary) events.get(0)).transactionId();
        assertThat(GtidSet.parse(after[2]).contains(gtid)).isTrue();
        assertThat(GtidSet.parse(before[2]).contains(gtid)).isFalse();
        assertThat(GtidSet.parse(source.acknowledgedPosition().mysqlGtids())).isEqualTo(GtidSet.parse(after[2]));
    }


    static Throwable catchFromStartOrPoll(BinlogChangeSource source) {
        try {
            source.start();
        } catch (Throwable t) {
            return t;
        }
        return catchFromPoll(source);
    }

    /** Polls until the source throws; a generous guard against hanging. */
    static Throwable catchFromPoll(BinlogChangeSource source) {
        try {
            long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < guard) {
                source.poll(Duration.ofMillis(200));
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void aSilentPeerIsDetectedByTheReadTimeoutAndReplaced() throws Exception {
        try (FreezingProxy proxy = new FreezingProxy(server.host(), server.port())) {
            BinlogSourceSettings s = BinlogSourceSettings.builder("orders", "127.0.0.1", proxy.port(), "repl", "repl-pw")
                    .serverId(SERVER_IDS.incrementAndGet()).tls(TlsSettings.DISABLED)
                    .heartbeatPeriod(Duration.ofMillis(300)).readTimeout(Duration.ofSeconds(2))
                    .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 5).build();
            BinlogChangeSource source = start(s);
            server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('before-freeze', 1)");
            pollUntil(source, commits(1), true);
            proxy.freezeOpenConnections();
            server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('during-freeze', 2)");
            // Only the read timeout can end the frozen connection; the new one brings the row.
            List<ChangeEvent> events = pollUntil(source, commits(1), true);
            assertThat(rows(events)).hasSize(1);
            assertThat(source.statistics().reconnects()).isEqualTo(1);
            assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        }
    }

    @Test
    void aSlowConsumerIsNotMistakenForADeadServer() throws Exception {
        BinlogChangeSource source = start(settings().batchSize(1).queueCapacity(1)
                .heartbeatPeriod(Duration.ofMillis(300)).readTimeout(Duration.ofSeconds(2)).build());
        for (int i = 0; i < 10; i++) {
            server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('slow-consumer', " + i + ")");
        }
        // The queue is full, reading is paused; stay away for well over the read timeout.
        Thread.sleep(5000);
        List<ChangeEvent> events = pollUntil(source, commits(10), true);
        assertThat(rows(events)).hasSize(10);
        assertThat(source.statistics().reconnects()).as("reconnects").isZero();
    }

    @Test
    void reconnectingStopsAfterTheConfiguredAttemptsWithAnErrorSayingSo() throws Exception {
        FreezingProxy proxy = new FreezingProxy(server.host(), server.port());
        BinlogSourceSettings s = BinlogSourceSettings.builder("orders", "127.0.0.1", proxy.port(), "repl", "repl-pw")
                .serverId(SERVER_IDS.incrementAndGet()).tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200), 3).build();
        BinlogChangeSource source = start(s);
        proxy.close(); // drops the connection and refuses new ones
        Throwable error = catchFromPoll(source);
        assertThat(error).isInstanceOf(SourceException.class)
                .hasMessageContaining("gave up reconnecting to 127.0.0.1:" + proxy.port() + " after 3 attempts");
        assertThat(((SourceException) error).isRetryable()).isFalse();
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.lastError()).isSameAs(error);
        assertThat(source.statistics().reconnects()).isEqualTo(3);
    }
}
