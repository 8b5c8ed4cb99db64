package dev.canalboot.canal;

import com.google.protobuf.ByteString;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EntryType;
import dev.canalboot.proto.CanalEntryProtos.EventType;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.FakeCanalServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Canal source against a scripted server: authentication, fetch-ahead, ack order, rollback,
 * reconnect, and the errors for peers that send oversized, corrupt or foreign frames.
 */
class CanalChangeSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private FakeCanalServer server(String user, String password, String destination) {
        FakeCanalServer server = new FakeCanalServer(user, password, destination);
        closeables.add(server);
        return server;
    }

    private CanalSettings.Builder settings(FakeCanalServer server, String destination) {
        return CanalSettings.builder("test", destination).address(server.address())
                .credentials("canal", "secret").fetchTimeout(Duration.ofMillis(50))
                .connectTimeout(Duration.ofSeconds(5)).reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private CanalChangeSource source(CanalSettings settings) {
        CanalChangeSource source = new CanalChangeSource(settings);
        closeables.add(source);
        return source;
    }

    static ByteString insert(String table, int id, long offset) {
        CanalEntryProtos.RowChange change = CanalEntryProtos.RowChange.newBuilder().setEventType(EventType.INSERT)
                .addRowDatas(CanalEntryProtos.RowData.newBuilder()
                        .addAfterColumns(CanalEntryProtos.Column.newBuilder().setIndex(0).setName("id")
                                .setMysqlType("int(11)").setSqlType(4).setIsKey(true).setValue(Integer.toString(id)))
                        .addAfterColumns(CanalEntryProtos.Column.newBuilder().setIndex(1).setName("name")
                                .setMysqlType("varchar(10)").setSqlType(12).setValue("n" + id)))
                .build();
        return Entry.newBuilder().setEntryType(EntryType.ROWDATA)
                .setHeader(CanalEntryProtos.Header.newBuilder().setLogfileName("mysql-bin.000001")
                        .setLogfileOffset(offset).setSchemaName("shop").setTableName(table)
                        .setExecuteTime(1_700_000_000_000L + id).setEventType(EventType.INSERT))
                .setStoreValue(change.toByteString()).build().toByteString();
    }

    private static FakeCanalServer.Reply batch(long batchId, int... ids) {
        Messages.Builder messages = Messages.newBuilder().setBatchId(batchId);
        for (int id : ids) {
            messages.addMessages(insert("t", id, 100L * id));
        }
        return new FakeCanalServer.MessagesReply(messages.build());
    }

    private static List<Integer> ids(ChangeBatch batch) {
        return batch.events().stream().filter(e -> e instanceof RowChange)
                .map(e -> ((RowChange) e).after().getInteger("id")).toList();
    }

    private static ChangeBatch pollBatch(CanalChangeSource source) throws InterruptedException {
        ChangeBatch batch = source.poll(WAIT);
        assertThat(batch).as("a batch within " + WAIT).isNotNull();
        return batch;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void authenticatesWithScrambledPasswordAndAcknowledgesInOrder() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(batch(11, 1, 2));
        server.replies.add(batch(12, 3));
        server.replies.add(batch(13, 4));
        CanalChangeSource source = source(settings(server, "example").build());
        source.start();
        assertThat(server.requests).startsWith("auth", "sub:");

        List<Integer> seen = new ArrayList<>();
        long previousId = 0;
        for (int i = 0; i < 3; i++) {
            ChangeBatch batch = pollBatch(source);
            assertThat(batch.id()).isGreaterThan(previousId);
            previousId = batch.id();
            seen.addAll(ids(batch));
            source.ack(batch);
        }
        assertThat(seen).containsExactly(1, 2, 3, 4);
        awaitTrue("three acks", () -> server.count("ack:") == 3);
        assertThat(server.requests.stream().filter(r -> r.startsWith("ack:")).toList())
                .containsExactly("ack:11", "ack:12", "ack:13");
        assertThat(source.statistics().batches()).isEqualTo(3);
        assertThat(source.statistics().bytesRead()).isPositive();
        assertThat(source.statistics().lastEventTimestamp().toEpochMilli()).isEqualTo(1_700_000_000_004L);
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }

    @Test
    void anAckRightBeforeCloseStillReachesTheServer() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(batch(21, 1));
        CanalChangeSource source = source(settings(server, "example").build());
        source.start();
        source.ack(pollBatch(source));
        source.close();
        awaitTrue("ack 21 received", () -> server.requests.contains("ack:21"));
    }

    @Test
    void unsubscribeIsExplicitAndCloseDoesNotUnsubscribe() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        CanalChangeSource kept = source(settings(server, "example").build());
        kept.start();
        kept.close();
        CanalChangeSource dropped = source(settings(server, "example").build());
        dropped.start();
        dropped.unsubscribe();
        assertThat(server.requests.stream().filter(r -> r.equals("unsub")).count()).isEqualTo(1);
        assertThatThrownBy(kept::unsubscribe).isInstanceOf(SourceException.class).hasMessageContaining("not running");
    }

    @Test
    void aFilterIsSentOnSubscribeOnlyWhenTheServerFilterIsNotUsed() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        source(settings(server, "example").filter("shop\\..*").build()).start();
        CanalChangeSource serverFilter = source(settings(server, "example").useServerFilter(true).build());
        serverFilter.start();
        assertThat(server.requests.stream().filter(r -> r.startsWith("sub:")).toList())
                .containsExactly("sub:shop\\..*", "sub:");
    }

    @Test
    void wrongPasswordIsAClearNonRetryableError() {
        FakeCanalServer server = server("canal", "secret", "example");
        CanalChangeSource source = source(settings(server, "example").credentials("canal", "wrong").build());
        assertThatThrownBy(source::start)
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining(server.address()).hasMessageContaining("'example'")
                .hasMessageContaining("authentication").hasMessageContaining("auth failed for user:canal");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(server.count("get")).isZero();
    }

    @Test
    void unknownDestinationIsAClearNonRetryableError() {
        FakeCanalServer server = server("canal", "secret", "example");
        CanalChangeSource source = source(settings(server, "nope").build());
        assertThatThrownBy(source::start)
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining(server.address()).hasMessageContaining("'nope'")
                .hasMessageContaining("subscription").hasMessageContaining("should start first");
    }

    @Test
    void theNextBatchIsRequestedWhileOneIsBeingDispatched() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(batch(1, 1));
        server.replies.add(batch(2, 2));
        server.replies.add(batch(3, 3));
        CanalChangeSource source = source(settings(server, "example").prefetch(2).build());
        source.start();
        ChangeBatch first = pollBatch(source);
        // Without any ack, batches 2 and 3 are fetched ahead: the server has answered three GETs.
        awaitTrue("batches 2 and 3 fetched ahead", () -> server.replies.isEmpty());
        assertThat(server.count("ack:")).isZero();
        source.ack(first);
        assertThat(ids(pollBatch(source))).containsExactly(2);
        assertThat(ids(pollBatch(source))).containsExactly(3);
    }

    @Test
    void rollbackDropsWhatWasFetchedAheadAndRollsBackEverythingOnTheServer() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(batch(1, 1));
        server.replies.add(batch(2, 2));
        CanalChangeSource source = source(settings(server, "example").prefetch(2).build());
        source.start();
        ChangeBatch first = pollBatch(source);
        awaitTrue("batch 2 fetched ahead", () -> server.replies.isEmpty());
        source.rollback(first);
        // The session's own rollback after subscribing is the first; the container's is the second.
        awaitTrue("rollback sent", () -> server.count("rollback:0") == 2);
        // What the server delivers after the rollback: batch 2 fetched before it must not surface.
        server.replies.add(batch(3, 1, 2));
        assertThat(ids(pollBatch(source))).containsExactly(1, 2);
        assertThatThrownBy(() -> source.ack(first)).hasMessageContaining("not outstanding");
    }

    @Test
    void reconnectsAfterConnectionLossRollsBackAndContinues() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(batch(1, 1));
        CanalChangeSource source = source(settings(server, "example").prefetch(1).build());
        source.start();
        ChangeBatch first = pollBatch(source);
        server.dropClients();
        awaitTrue("second session", () -> server.count("auth") == 2 && source.state() == SourceState.CONNECTED);
        source.ack(first); // belongs to the lost session: not sent, the server redelivers it
        server.replies.add(batch(1, 1));
        assertThat(ids(pollBatch(source))).containsExactly(1);
        assertThat(source.statistics().reconnects()).isGreaterThanOrEqualTo(1);
        // Every session rolls back what an earlier one left unacknowledged; the stale ack never went out.
        assertThat(server.count("rollback:0")).isEqualTo(2);
        assertThat(server.count("ack:")).isZero();
    }

    @Test
    void failsOverToTheNextAddress() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(batch(5, 7));
        // A closed port first: connection refused, then the live server.
        java.net.ServerSocket closed = new java.net.ServerSocket(0);
        String deadAddress = "127.0.0.1:" + closed.getLocalPort();
        closed.close();
        CanalChangeSource source = source(CanalSettings.builder("test", "example").address(deadAddress)
                .address(server.address()).credentials("canal", "secret").fetchTimeout(Duration.ofMillis(50)).build());
        source.start();
        assertThat(ids(pollBatch(source))).containsExactly(7);
    }

    @Test
    void givesUpAfterTheConfiguredReconnectAttempts() throws Exception {
        FakeCanalServer server = new FakeCanalServer("canal", "secret", "example");
        CanalChangeSource source = source(settings(server, "example").maxReconnectAttempts(2).build());
        source.start();
        server.close();
        awaitTrue("failed", () -> source.state() == SourceState.FAILED);
        assertThatThrownBy(() -> source.poll(Duration.ofMillis(10)))
                .isInstanceOf(SourceException.class).hasMessageContaining("gave up reconnecting to destination 'example' at").hasMessageContaining("after 2 attempts");
        assertThat(source.statistics().reconnects()).isEqualTo(2);
    }

    @Test
    void aFrameLargerThanTheMaximumFailsTheSource() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        Messages big = Messages.newBuilder().setBatchId(1).addMessages(ByteString.copyFrom(new byte[4096])).build();
        server.replies.add(new FakeCanalServer.MessagesReply(big));
        CanalChangeSource source = source(settings(server, "example").maxFrameSize(1024).build());
        source.start();
        assertThatThrownBy(() -> source.poll(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining(server.address()).hasMessageContaining("'example'")
                .hasMessageContaining("maxFrameSize 1024");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(server.count("ack:")).isZero();
    }

    @Test
    void aCorruptFrameFailsTheSource() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        server.replies.add(new FakeCanalServer.RawReply(ByteBuffer.allocate(4 + garbage.length)
                .putInt(garbage.length).put(garbage).array()));
        CanalChangeSource source = source(settings(server, "example").build());
        source.start();
        assertThatThrownBy(() -> source.poll(WAIT))
                .isInstanceOf(SourceException.class).hasMessageContaining(server.address())
                .hasMessageContaining("corrupt frame").hasMessageContaining("not a Canal packet");
        assertThat(server.count("ack:")).isZero();
    }

    @Test
    void aCorruptEntryNamesTheBatchAndIsNotAcknowledged() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        server.replies.add(new FakeCanalServer.MessagesReply(Messages.newBuilder().setBatchId(9)
                .addMessages(ByteString.copyFrom(new byte[]{(byte) 0xff, 0x01})).build()));
        CanalChangeSource source = source(settings(server, "example").build());
        source.start();
        assertThatThrownBy(() -> source.poll(WAIT))
                .isInstanceOf(SourceException.class).hasMessageContaining("'example'")
                .hasMessageContaining(server.address())
                .hasMessageContaining("batch 9").hasMessageContaining("corrupt entry");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(server.count("ack:")).isZero();
    }

    @Test
    void aTruncatedFrameIsReported() throws Exception {
        FakeCanalServer server = server("canal", "secret", "example");
        // Announces 100 bytes, sends 10, then the connection ends.
        server.replies.add(new FakeCanalServer.RawReply(ByteBuffer.allocate(14).putInt(100).put(new byte[10]).array()));
        CanalChangeSource source = source(settings(server, "example").maxReconnectAttempts(0).build());
        source.start();
        awaitTrue("10 bytes received", () -> source.statistics().bytesRead() > 0 && server.replies.isEmpty());
        Thread.sleep(50);
        server.dropClients();
        assertThatThrownBy(() -> source.poll(WAIT))
                .isInstanceOf(SourceException.class).hasMessageContaining("truncated frame");
    }

    @Test
    void aMySqlServerIsNotMistakenForCanal() {
        // A MySQL handshake: 3-byte little-endian length, sequence 0, protocol version 10, "8.0.31"...
        byte[] greeting = {0x4a, 0x00, 0x00, 0x00, 0x0a, '8', '.', '0', '.', '3', '1', 0x00};
        FakeCanalServer server = FakeCanalServer.greeting(greeting);
        closeables.add(server);
        CanalChangeSource source = source(settings(server, "example").maxFrameSize(1 << 20).build());
        assertThatThrownBy(source::start)
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining(server.address()).hasMessageContaining("is this a Canal server port?");
    }

    @Test
    void aSilentServerTimesOutWaitingForTheHandshake() {
        FakeCanalServer server = FakeCanalServer.greeting(new byte[0]);
        closeables.add(server);
        // Without reconnects the start throws what it met; with them it would retry in the background.
        CanalChangeSource source = source(settings(server, "example").connectTimeout(Duration.ofMillis(300))
                .maxReconnectAttempts(0).build());
        assertThatThrownBy(source::start)
                .isInstanceOf(SourceException.class).hasMessageContaining(server.address())
                .hasMessageContaining("no Canal handshake within connectTimeout");
    }

    @Test
    void aSilentServerAtStartIsRetriedInTheBackground() throws Exception {
        FakeCanalServer server = FakeCanalServer.greeting(new byte[0]);
        closeables.add(server);
        CanalChangeSource source = source(settings(server, "example").connectTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).build());
        source.start();
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        awaitTrue("reconnect attempts", () -> source.statistics().reconnects() >= 2);
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(source.poll(Duration.ofMillis(10))).isNull();
    }
}
