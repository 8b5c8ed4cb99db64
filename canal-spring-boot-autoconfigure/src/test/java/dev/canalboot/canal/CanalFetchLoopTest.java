package dev.canalboot.canal;

import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceLifecycle;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.FakeCanalServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The event-loop half of the Canal source on its own, against a scripted Canal server: no consumer involved. */
class CanalFetchLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private SourceLifecycle lifecycle;
    private final SourceCounters counters = new SourceCounters(() -> "test");

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private CanalFetchLoop loop(CanalSettings settings) {
        lifecycle = new SourceLifecycle("Canal source 'test'", settings.reconnectPolicy());
        CanalFetchLoop loop = new CanalFetchLoop(settings, lifecycle, counters, new CanalFetchLoop.Events() {
            @Override
            public void onSession() {
                events.add("session");
            }

            @Override
            public void onFailed(SourceException error) {
                events.add("failed: " + error.getMessage());
            }
        });
        closeables.add(() -> {
            lifecycle.close();
            loop.close();
        });
        lifecycle.beginStart(() -> { });
        return loop;
    }

    private FakeCanalServer server() {
        FakeCanalServer server = new FakeCanalServer("canal", "secret", "example");
        closeables.add(server);
        return server;
    }

    private static CanalSettings.Builder settings(String address) {
        return CanalSettings.builder("test", "example").address(address).credentials("canal", "secret")
                .fetchTimeout(Duration.ofMillis(50)).connectTimeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100));
    }

    private static FakeCanalServer.Reply batch(long id) {
        return new FakeCanalServer.MessagesReply(Messages.newBuilder().setBatchId(id)
                .addMessages(CanalChangeSourceTest.insert("t", (int) id, 100L * id)).build());
    }

    @Test
    void fetchesAheadUpToPrefetchAndAsksForMoreOnlyWhenOneIsTaken() throws Exception {
        FakeCanalServer server = server();
        server.replies.add(batch(1));
        server.replies.add(batch(2));
        server.replies.add(batch(3));
        CanalFetchLoop loop = loop(settings(server.address()).prefetch(2).build());
        loop.open();
        awaitTrue("two batches buffered", () -> loop.buffered.get() == 2);
        Thread.sleep(200); // time for a third GET, if the loop asked too early
        assertThat(server.count("get")).as("no GET beyond prefetch").isEqualTo(2);
        assertThat(loop.fetched.stream().map(CanalFetchLoop.Fetched::canalBatchId)).containsExactly(1L, 2L);
        assertThat(lifecycle.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(events).containsExactly("session");

        CanalFetchLoop.Fetched first = loop.fetched.take();
        assertThat(first.generation()).isEqualTo(loop.generation());
        loop.taken();
        awaitTrue("the third batch", () -> loop.fetched.stream().anyMatch(f -> f.canalBatchId() == 3));
        assertThat(counters.bytesRead()).isPositive();
    }

    @Test
    void aLostConnectionStartsANewGenerationAndASessionAgain() throws Exception {
        FakeCanalServer server = server();
        CanalFetchLoop loop = loop(settings(server.address()).build());
        loop.open();
        awaitTrue("subscribed", () -> lifecycle.state() == SourceState.CONNECTED);
        long before = loop.generation();
        server.dropClients();
        awaitTrue("a second session", () -> events.size() == 2 && lifecycle.state() == SourceState.CONNECTED);
        assertThat(loop.generation()).as("batches of the lost session are stale").isGreaterThan(before);
        assertThat(counters.reconnects()).isEqualTo(1);
        assertThat(server.count("sub:")).isEqualTo(2);
    }

    @Test
    void noServerAtOpenIsRetriedInTheBackgroundUntilThePolicyIsUsedUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        CanalFetchLoop loop = loop(settings("127.0.0.1:" + port).maxReconnectAttempts(2).build());
        loop.open();
        assertThat(lifecycle.state()).as("open returns, retrying").isEqualTo(SourceState.RECONNECTING);
        awaitTrue("failed", () -> lifecycle.state() == SourceState.FAILED);
        // FAILED is set first (a woken consumer must see it), then listeners are told, then the wake-up is queued
        awaitTrue("a waiting consumer is woken", () -> loop.fetched.contains(CanalFetchLoop.WAKE_UP));
        assertThat(counters.reconnects()).isEqualTo(2);
        assertThat(lifecycle.lastError()).hasMessageContaining("Canal source 'test' gave up reconnecting to"
                + " destination 'example' at 127.0.0.1:" + port + " after 2 attempts");
        assertThat(events).singleElement().asString().startsWith("failed: ");
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
}
