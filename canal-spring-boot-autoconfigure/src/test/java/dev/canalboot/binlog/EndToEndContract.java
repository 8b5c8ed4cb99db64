package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the binlog source must do against each real server, with the real decoder: typed row changes in
 * order, every start position kind, reconnect after KILL, purged binlog, split packets.
 */
abstract class EndToEndContract {

    static final AtomicLong SERVER_IDS = new AtomicLong(5000);
    static final String SCHEMA = "binlog_conn_e2e";
    final List<BinlogChangeSource> sources = new ArrayList<>();

    abstract EmbeddedDatabase server();

    /** The GTID start that covers everything up to now. */
    abstract StartPosition gtidStartNow() throws Exception;

    /** The GTID of the transaction a COMMIT boundary closes, as the GTID start/checkpoint spells it. */
    abstract boolean checkpointContains(BinlogCheckpoint checkpoint, String gtid);

    void createSchema() {
        server().execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA,
                "CREATE TABLE IF NOT EXISTS " + SCHEMA + ".orders (id INT PRIMARY KEY, item VARCHAR(50), amount DECIMAL(10,2))",
                "CREATE TABLE IF NOT EXISTS " + SCHEMA + ".blobs (id INT PRIMARY KEY, data LONGBLOB)",
                "SET GLOBAL max_allowed_packet = 67108864",
                // Tests start from empty tables: MariaDB logs nothing for a REPLACE that leaves a row as it was,
                // so a row an earlier test left (another class sharing the server) would swallow a change.
                "DELETE FROM " + SCHEMA + ".orders", "DELETE FROM " + SCHEMA + ".blobs");
    }

    @AfterEach
    void closeSources() {
        sources.forEach(BinlogChangeSource::close);
    }

    BinlogSourceSettings.Builder settings() {
        DatabaseUser user = server().users().get(0);
        return BinlogSourceSettings.builder("e2e", server().host(), server().port(), user.name(), user.password())
                .serverId(SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 20);
    }

    BinlogChangeSource start(BinlogSourceSettings settings) {
        BinlogChangeSource source = new BinlogChangeSource(settings);
        sources.add(source);
        source.start();
        return source;
    }

    Connection jdbc() throws Exception {
        return DriverManager.getConnection(server().jdbcUrl(null), server().rootUser(), server().rootPassword());
    }

    /** The statement that tells the server's current binlog file and position. */
    String binlogStatusStatement() {
        return "SHOW MASTER STATUS";
    }

    String[] masterStatus() throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(binlogStatusStatement())) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }

    static List<ChangeEvent> pollUntil(BinlogChangeSource source, Predicate<List<ChangeEvent>> done)
            throws InterruptedException {
        return BinlogChangeSourceMySqlIT.pollUntil(source, done, true);
    }

    static Predicate<List<ChangeEvent>> commits(int n) {
        return BinlogChangeSourceMySqlIT.commits(n);
    }

    static List<RowChange> rows(List<ChangeEvent> events) {
        return BinlogChangeSourceMySqlIT.rows(events);
    }

    @Test
    void insertUpdateDeleteArriveAsTypedRowChangesInOrder() throws Exception {
        BinlogChangeSource source = start(settings().build());
        server().execute("DELETE FROM " + SCHEMA + ".orders WHERE id = 1",
                "INSERT INTO " + SCHEMA + ".orders VALUES (1, 'apple', 1.50)",
                "UPDATE " + SCHEMA + ".orders SET amount = 2.25 WHERE id = 1",
                "DELETE FROM " + SCHEMA + ".orders WHERE id = 1");
        List<RowChange> rows = rows(pollUntil(source, events -> rows(events).size() >= 3 && commits(3).test(events)));
        assertThat(rows).extracting(RowChange::type).containsExactly(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.DELETE);
        RowChange insert = rows.get(0);
        assertThat(insert.qualifiedTable()).isEqualTo(SCHEMA + ".orders");
        assertThat(insert.after().getInteger("id")).isEqualTo(1);
        assertThat(insert.after().getString("item")).isEqualTo("apple");
        assertThat(insert.after().getBigDecimal("amount")).isEqualByComparingTo("1.50");
        assertThat(rows.get(1).before().getBigDecimal("amount")).isEqualByComparingTo("1.50");
        assertThat(rows.get(1).after().getBigDecimal("amount")).isEqualByComparingTo("2.25");
        assertThat(rows.get(1).changedColumns()).containsExactly("amount");
        assertThat(rows.get(2).before().getString("item")).isEqualTo("apple");
        assertThat(insert.primaryKey()).containsExactly("id");
        assertThat(source.acknowledgedPosition().file()).isEqualTo(masterStatus()[0]);
        assertThat(source.acknowledgedPosition().position()).isEqualTo(Long.parseLong(masterStatus()[1]));
        // Positions are real offsets in the file, also where the server leaves log_pos at 0 (MariaDB 11.4).
        long end = Long.parseLong(masterStatus()[1]);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.position().file()).isEqualTo(masterStatus()[0]);
            assertThat(row.position().offset()).isGreaterThan(4).isLessThan(end);
        });
        assertThat(rows).extracting(row -> row.position().offset()).isSorted().doesNotHaveDuplicates();
    }

    /**
     * A row whose value does not decode (its DECIMAL bytes spoiled on the way in, checksums off) fails the source
     * with an error naming the column and the event's place, whichever thread decodes it ({@link RowDecoding}):
     * nothing of it or after it is delivered, and the acknowledged position stays before it.
     */
    @Test
    void aRowThatDoesNotDecodeFailsTheSourceNamingItsPlace() throws Exception {
        server().execute("DELETE FROM " + SCHEMA + ".orders WHERE id IN (77, 78, 79)");
        BinlogChangeSource source = new BinlogChangeSource(settings().build(), null, (name, shapes, options) -> {
            BinlogStreamDecoder decoder = new BinlogStreamDecoder(name, shapes, options.withVerifyChecksums(false));
            return (event, sink) -> {
                spoilDecimalOfMarkedInsert(event, options.checksumOn());
                decoder.decode(event, sink);
            };
        });
        sources.add(source);
        source.start();
        server().execute("INSERT INTO " + SCHEMA + ".orders VALUES (77, 'fine', 1.00)");
        assertThat(rows(pollUntil(source, commits(1)))).extracting(r -> r.row().getInteger("id")).containsExactly(77);
        BinlogCheckpoint acknowledged = source.acknowledgedPosition();

        server().execute("INSERT INTO " + SCHEMA + ".orders VALUES (78, 'spoil-me', 2.00)",
                "INSERT INTO " + SCHEMA + ".orders VALUES (79, 'after', 3.00)");
        List<ChangeEvent> delivered = new ArrayList<>();
        SourceException failure = null;
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (failure == null && System.nanoTime() < guard) {
            try {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch != null) {
                    delivered.addAll(batch.events());
                    source.ack(batch);
                }
            } catch (SourceException e) {
                failure = e;
            }
        }
        assertThat(failure).as("the source's failure").isNotNull();
        assertThat(failure.isRetryable()).isFalse();
        assertThat(failure.getMessage()).contains("corrupt DECIMAL(10,2) digit group")
                .contains("column " + SCHEMA + ".orders.amount (NEWDECIMAL)").contains("WRITE_ROWS")
                .contains(" from e2e");
        assertThat(rows(delivered)).as("rows delivered after the first").isEmpty();
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.acknowledgedPosition()).isEqualTo(acknowledged);
    }

    /** Sets the DECIMAL(10,2) bytes (the row's last five) of a one-row insert of item 'spoil-me' to 0xFF. */
    private static void spoilDecimalOfMarkedInsert(io.netty.buffer.ByteBuf event, boolean checksum) {
        int start = event.readerIndex();
        int type = event.getUnsignedByte(start + 4);
        if (type != 23 && type != 30) { // WRITE_ROWS v1 and v2
            return;
        }
        String text = event.toString(start, event.readableBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.contains("spoil-me")) {
            int end = event.writerIndex() - (checksum ? 4 : 0);
            event.setBytes(end - 5, new byte[]{-1, -1, -1, -1, -1});
        }
    }

    @Test
    void dumpByFileAndPosition() throws Exception {
        String[] before = masterStatus();
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (2, 'by-position', 7)");
        BinlogChangeSource source = start(settings()
                .start(new StartPosition.FilePosition(before[0], Long.parseLong(before[1]))).build());
        List<RowChange> rows = rows(pollUntil(source, commits(1)));
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(rows.size() - 1).after().getString("item")).isEqualTo("by-position");
    }

    @Test
    void dumpByGtid() throws Exception {
        StartPosition start = gtidStartNow();
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (3, 'by-gtid', 8)");
        BinlogChangeSource source = start(settings().start(start).build());
        List<ChangeEvent> events = pollUntil(source, commits(1));
        assertThat(rows(events)).isNotEmpty();
        assertThat(rows(events).get(rows(events).size() - 1).after().getString("item")).isEqualTo("by-gtid");
        String gtid = events.get(0).position().gtid();
        assertThat(gtid).isNotNull();
        assertThat(checkpointContains(source.acknowledgedPosition(), gtid)).isTrue();
    }

    @Test
    void reconnectsAfterKillAndResumesAtTheNextTransaction() throws Exception {
        BinlogChangeSource source = start(settings().build());
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (4, 'before-kill', 1)");
        pollUntil(source, commits(1));
        long killed = source.connectionId();
        server().execute("KILL " + killed);
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (5, 'after-kill', 2)");
        List<RowChange> rows = rows(pollUntil(source, commits(1)));
        assertThat(rows).extracting(r -> r.row().getString("item")).containsExactly("after-kill");
        assertThat(source.statistics().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(source.connectionId()).isNotEqualTo(killed);
    }

    @Test
    void aMissingBinlogFileIsAClearNonRetryableError() {
        BinlogChangeSource source = new BinlogChangeSource(settings()
                .start(new StartPosition.FilePosition("binlog.999999", 4)).build());
        sources.add(source);
        Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(source);
        assertThat(error).isInstanceOf(SourceException.class).hasMessageContaining("binlog.999999")
                .hasMessageContaining("no longer on the server").hasMessageContaining("earliest or latest");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
    }

    @Test
    void aRowOfMoreThan16MiBTravelsInSplitPackets() throws Exception {
        BinlogChangeSource source = start(settings().build());
        byte[] data = new byte[17 * 1024 * 1024 + 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement("REPLACE INTO " + SCHEMA + ".blobs VALUES (1, ?)")) {
            ps.setBytes(1, data);
            ps.executeUpdate();
        }
        List<RowChange> rows = rows(pollUntil(source, commits(1)));
        byte[] received = rows.get(rows.size() - 1).after().getBytes("data");
        assertThat(received.length).isEqualTo(data.length);
        assertThat(Arrays.equals(received, data)).isTrue();
        assertThat(source.statistics().bytesRead()).isGreaterThan(data.length);
    }

    @Test
    void aTransactionLargerThanTheBatchSizeIsCutIntoBatchesInOrder() throws Exception {
        server().execute("DELETE FROM " + SCHEMA + ".orders WHERE id >= 1000");
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 200; i++) {
                s.execute("INSERT INTO " + SCHEMA + ".orders VALUES (" + (1000 + i) + ", 'old', " + i + ")");
            }
            c.commit();
        }
        BinlogChangeSource source = start(settings().batchSize(10).queueCapacity(2).build());
        // One statement deleting 200 rows (rows events of many rows each), then 200 one-row events.
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("DELETE FROM " + SCHEMA + ".orders WHERE id >= 1000");
            for (int i = 0; i < 200; i++) {
                s.execute("INSERT INTO " + SCHEMA + ".orders VALUES (" + (1000 + i) + ", 'bulk', " + i + ")");
            }
            c.commit();
        }
        List<ChangeBatch> batches = new ArrayList<>();
        List<ChangeEvent> events = new ArrayList<>();
        while (!commits(1).test(events)) {
            ChangeBatch b = source.poll(Duration.ofSeconds(1));
            if (b != null) {
                batches.add(b);
                events.addAll(b.events());
                source.ack(b);
            }
        }
        List<Integer> ids = java.util.stream.IntStream.range(1000, 1200).boxed().toList();
        assertThat(rows(events).stream().filter(r -> r.type() == ChangeType.DELETE).toList())
                .extracting(r -> r.before().getInteger("id")).containsExactlyElementsOf(ids);
        assertThat(rows(events).stream().filter(r -> r.type() == ChangeType.INSERT).toList())
                .extracting(r -> r.after().getInteger("id")).containsExactlyElementsOf(ids);
        assertThat(rows(events).get(0).type()).isEqualTo(ChangeType.DELETE);
        assertThat(batches).allSatisfy(b -> assertThat(b.events().size()).isLessThanOrEqualTo(20));
        assertThat(batches.size()).isGreaterThanOrEqualTo(20);
        assertThat(batches).extracting(ChangeBatch::id).isSorted();
    }

    @Test
    void aSecondReplicaWithTheSameServerIdIsReportedNotLooped() throws Exception {
        BinlogSourceSettings s = settings().build();
        BinlogChangeSource first = start(s);
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (6, 'before-clash', 1)");
        pollUntil(first, commits(1));
        BinlogChangeSource second = start(s.toBuilder().build());
        Throwable error = BinlogChangeSourceMySqlIT.catchFromPoll(first);
        assertThat(error).isInstanceOf(SourceException.class).hasMessageContaining("same server id");
        assertThat(((SourceException) error).isRetryable()).isFalse();
        assertThat(first.state()).isEqualTo(SourceState.FAILED);
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (7, 'after-clash', 1)");
        assertThat(rows(pollUntil(second, commits(1)))).extracting(r -> r.row().getString("item")).contains("after-clash");
    }

    @Test
    void missingReplicationPrivilegeNamesTheGrant() throws Exception {
        server().execute("CREATE USER IF NOT EXISTS e2e_norepl@'%' IDENTIFIED BY 'norepl-pw'",
                "GRANT SELECT ON *.* TO e2e_norepl@'%'");
        String[] status = masterStatus();
        for (StartPosition start : List.of(new StartPosition.Latest(),
                new StartPosition.FilePosition(status[0], Long.parseLong(status[1])))) {
            BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("e2e", server().host(),
                    server().port(), "e2e_norepl", "norepl-pw").tls(TlsSettings.DISABLED)
                    .serverId(SERVER_IDS.incrementAndGet()).start(start).build());
            sources.add(source);
            Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(source);
            assertThat(error).as("start %s", start).isInstanceOf(SourceException.class)
                    .hasMessageContaining("e2e_norepl").hasMessageContaining("GRANT REPLICATION SLAVE");
            assertThat(((SourceException) error).isRetryable()).isFalse();
        }
    }
    @Test
    void rollbackDeliversTheSameTransactionsAgain() throws Exception {
        BinlogChangeSource source = start(settings().build());
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (8, 'first', 1)");
        List<ChangeEvent> first = pollUntil(source, commits(1));
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (9, 'second', 2)");
        ChangeBatch batch = null;
        List<ChangeEvent> second = new ArrayList<>();
        while (!commits(1).test(second)) {
            batch = source.poll(Duration.ofSeconds(1));
            if (batch != null) {
                second.addAll(batch.events());
            }
        }
        source.rollback(batch);
        List<ChangeEvent> again = pollUntil(source, commits(1));
        assertThat(again).extracting(ChangeEvent::position).isEqualTo(second.stream().map(ChangeEvent::position).toList());
        assertThat(rows(again)).extracting(r -> r.row().toMap()).isEqualTo(rows(second).stream().map(r -> r.row().toMap()).toList());
        assertThat(again.get(0).position()).isNotEqualTo(first.get(0).position());
    }

    @Test
    void heartbeatsArriveWhileTheServerIsIdle() throws Exception {
        BinlogChangeSource source = start(settings().heartbeatPeriod(Duration.ofMillis(200)).build());
        long guard = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (source.statistics().lastHeartbeat() == null && System.nanoTime() < guard) {
            assertThat(source.poll(Duration.ofMillis(100))).isNull();
        }
        assertThat(source.statistics().lastHeartbeat()).isNotNull();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }

    @Test
    void aNewSourceResumesFromAnInitialCheckpointOfAnEarlierOne() throws Exception {
        BinlogChangeSource first = start(settings().build());
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (10, 'seen-by-first', 1)");
        pollUntil(first, commits(1));
        BinlogCheckpoint checkpoint = first.acknowledgedPosition();
        first.close();
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (11, 'while-down', 1)");
        BinlogChangeSource second = new BinlogChangeSource(settings().build(), checkpoint);
        sources.add(second);
        second.start();
        List<RowChange> rows = rows(pollUntil(second, commits(1)));
        assertThat(rows).extracting(r -> r.row().getString("item")).containsExactly("while-down");
    }
}
