package dev.canalboot.binlog;

import dev.canalboot.binlog.protocol.GtidSet;
import dev.canalboot.binlog.protocol.TlsSettings;
import dev.canalboot.embedded.EmbeddedMySql;
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
class BinlogChangeSourceMySqlTest {

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
        assertThat(acked.mysqlGtids()).isEqualTo(GtidSet.parse(status[2]));
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.metrics().bytesRead()).isPositive();
    }

    @Test
    void dumpFromFileAndPosition() throws Exception {
        String[] before = masterStatus();
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('by-position', 7)");
        BinlogChangeSource source = start(settings()
                .start(new StartPosition.FilePosition(before[0], Long.parseLong(before[1]))).build());
        List<ChangeEvent> events = pollUntil(source, commits(1), true);
        assertThat(rows(events)).hasSize(1);
        assertThat(rows(events).get(0).type()).isEqualTo(ChangeType.INSERT);
        assertThat(source.acknowledgedPosition().position()).isEqualTo(Long.parseLong(masterStatus()[1]));
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
        assertThat(source.acknowledgedPosition().mysqlGtids()).isEqualTo(GtidSet.parse(after[2]));
    }

    @Test
    void aMissingBinlogFileIsAClearNonRetryableError() {
        BinlogSourceSettings s = settings().start(new StartPosition.FilePosition("binlog.999999", 4)).build();
        BinlogChangeSource source = new BinlogChangeSource(s, null, HeaderDecoder.FACTORY);
        sources.add(source);
        // The server accepts the dump and then reports the missing file in the stream.
        Throwable error = catchFromStartOrPoll(source);
        assertThat(error).isInstanceOf(SourceException.class)
                .hasMessageContaining("binlog.999999")
                .hasMessageContaining("no longer on the server")
                .hasMessageContaining("earliest or latest");
        assertThat(((SourceException) error).isRetryable()).isFalse();
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
    }

    static Throwable catchFromStartOrPoll(BinlogChangeSource source) {
        try {
            source.start();
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
    void missingReplicationPrivilegeNamesTheGrant() {
        BinlogSourceSettings latest = BinlogSourceSettings.builder("orders", "127.0.0.1", server.port(), "norepl",
                "norepl-pw").tls(TlsSettings.DISABLED).serverId(SERVER_IDS.incrementAndGet()).build();
        assertThatThrownBy(() -> start(latest)).isInstanceOf(SourceException.class)
                .hasMessageContaining("GRANT REPLICATION SLAVE");
        String[] status;
        try {
            status = masterStatus();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        BinlogSourceSettings byPosition = latest.toBuilder().start(new StartPosition.FilePosition(status[0],
                Long.parseLong(status[1]))).build();
        BinlogChangeSource source = new BinlogChangeSource(byPosition, null, HeaderDecoder.FACTORY);
        sources.add(source);
        assertThat(catchFromStartOrPoll(source)).isInstanceOf(SourceException.class)
                .hasMessageContaining("REPLICATION SLAVE")
                .hasMessageContaining("GRANT REPLICATION SLAVE");
    }

    @Test
    void aSecondReplicaWithTheSameServerIdIsReportedNotLooped() throws Exception {
        BinlogSourceSettings s = settings().build();
        BinlogChangeSource first = start(s);
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('before-clash', 1)");
        pollUntil(first, commits(1), true);
        BinlogChangeSource second = start(s.toBuilder().build());
        Throwable error = catchFromPoll(first);
        assertThat(error).isInstanceOf(SourceException.class).hasMessageContaining("same server id");
        assertThat(first.state()).isEqualTo(SourceState.FAILED);
        assertThat(second.state()).isNotEqualTo(SourceState.FAILED);
    }

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
    void reconnectsAfterTheConnectionIsKilledWithoutLosingATransaction() throws Exception {
        BinlogChangeSource source = start(settings().build());
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('before-kill', 1)");
        pollUntil(source, commits(1), true);
        long killed = source.connectionId();
        server.execute("KILL " + killed);
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('after-kill', 2)");
        List<ChangeEvent> events = pollUntil(source, commits(1), true);
        assertThat(rows(events)).hasSize(1);
        assertThat(source.metrics().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(source.connectionId()).isNotEqualTo(killed);
        assertThat(source.acknowledgedPosition().position()).isEqualTo(Long.parseLong(masterStatus()[1]));
    }

    @Test
    void rollbackDeliversTheSameTransactionsAgain() throws Exception {
        BinlogChangeSource source = start(settings().build());
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('first', 1)");
        List<ChangeEvent> first = pollUntil(source, commits(1), true);
        server.execute("INSERT INTO binlog_conn.orders (item, amount) VALUES ('second', 2)");
        ChangeBatch batch = null;
        List<ChangeEvent> second = new ArrayList<>();
        while (!commits(1).test(second)) {
            batch = source.poll(Duration.ofSeconds(1));
            if (batch != null) {
                second.addAll(batch.events());
            }
        }
        source.rollback(batch);
        List<ChangeEvent> again = pollUntil(source, commits(1), true);
        assertThat(again).extracting(ChangeEvent::position).isEqualTo(second.stream().map(ChangeEvent::position).toList());
        assertThat(again.get(0).position()).isNotEqualTo(first.get(0).position());
    }
}
