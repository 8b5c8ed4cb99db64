package dev.canalboot.canal;

import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.FakeCanalServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Canal session against a scripted server: the requests it sends (handshake, auth, subscription, rollback,
 * get, ack), and the errors that end it. Calls run on the session's event loop, as the source makes them.
 */
class CanalConnectionTest {

    private static final long WAIT_SECONDS = 10;

    /** One event loop: every session's channel lives on it, so calls submitted to it run on the right thread. */
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private FakeCanalServer server(String destination) {
        FakeCanalServer server = new FakeCanalServer("canal", "secret", destination);
        closeables.add(server);
        return server;
    }

    private static CanalSettings settings(String address, String password, Duration connectTimeout) {
        return CanalSettings.builder("orders", "example").address(address).credentials("canal", password)
                .filter("shop\\..*").fetchTimeout(Duration.ofMillis(50)).connectTimeout(connectTimeout).build();
    }

    private CompletableFuture<CanalConnection> open(String address, String password, boolean firstSession) {
        CanalSettings settings = settings(address, password, Duration.ofSeconds(5));
        return CanalConnection.open(group, CanalSettings.hostAndPort("orders", address), settings,
                new SourceCounters(() -> address), firstSession);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static SourceException failure(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SourceException.class);
            return (SourceException) e.getCause();
        }
        throw new AssertionError("the session did not fail");
    }

    private <T> T onLoop(Callable<T> call) throws Exception {
        return group.submit(call).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitRequests(FakeCanalServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (server.requests.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.requests).as("requests the server received").hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void aSessionAuthenticatesSubscribesAndRollsBackWhatAnEarlierOneLeftUnacknowledged() throws Exception {
        FakeCanalServer server = server("example");
        CanalConnection connection = await(open(server.address(), "secret", true));
        awaitRequests(server, 3);
        assertThat(server.requests).containsExactly("auth", "sub:shop\\..*", "rollback:0");
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.server()).isEqualTo(server.address());
    }

    @Test
    void getAnswersWithTheServersBatchAndAckNamesIt() throws Exception {
        FakeCanalServer server = server("example");
        server.replies.add(new FakeCanalServer.MessagesReply(Messages.newBuilder().setBatchId(42).build()));
        CanalConnection connection = await(open(server.address(), "secret", true));
        Messages first = await(onLoop(() -> connection.get(0)));
        assertThat(first.getBatchId()).isEqualTo(42);
        Messages nothing = await(onLoop(() -> connection.get(0)));
        assertThat(nothing.getBatchId()).as("no batch").isEqualTo(-1);
        onLoop(() -> {
            connection.ack(42);
            return null;
        });
        awaitRequests(server, 6);
        assertThat(server.requests.subList(3, 6)).containsExactly("get", "get", "ack:42");
    }

    @Test
    void aRejectedLoginIsFinalOnTheFirstSessionAndRetryableLater() throws Exception {
        FakeCanalServer server = server("example");
        SourceException first = failure(open(server.address(), "wrong", true));
        assertThat(first).hasMessage("Canal source 'orders' at " + server.address() + ", destination 'example':"
                + " server rejected the authentication (user 'canal'): error 400 auth failed for user:canal");
        assertThat(first.isRetryable()).isFalse();
        assertThat(failure(open(server.address(), "wrong", false)).isRetryable())
                .as("a server that knew us before may be restarting").isTrue();
    }

    @Test
    void anUnknownDestinationIsNamedByTheSubscription() throws Exception {
        FakeCanalServer server = server("other");
        SourceException e = failure(open(server.address(), "secret", true));
        assertThat(e).hasMessageEndingWith("server rejected the subscription: error 401 destination:example should"
                + " start first");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void aDroppedConnectionFailsPendingRequestsAsRetryable() throws Exception {
        FakeCanalServer server = server("example");
        CanalConnection connection = await(open(server.address(), "secret", true));
        server.dropClients();
        SourceException closed = await(connection.closeFuture());
        assertThat(closed).hasMessageEndingWith("connection closed by the server");
        assertThat(closed.isRetryable()).isTrue();
        assertThat(connection.isOpen()).isFalse();
        assertThat(failure(onLoop(() -> connection.get(0)))).isSameAs(closed);
    }

    @Test
    void closingOrAbandoningTheSessionSaysWhoEndedIt() throws Exception {
        FakeCanalServer server = server("example");
        CanalConnection closedByUs = await(open(server.address(), "secret", true));
        await(onLoop(() -> closedByUs.close(Duration.ofMillis(200))));
        SourceException closed = await(closedByUs.closeFuture());
        assertThat(closed).hasMessageEndingWith("connection closed by the client");
        assertThat(closed.isRetryable()).isFalse();

        CanalConnection abandoned = await(open(server.address(), "secret", true));
        onLoop(() -> {
            abandoned.abandon("the registry names another server");
            return null;
        });
        SourceException why = await(abandoned.closeFuture());
        assertThat(why).hasMessageEndingWith("the registry names another server");
        assertThat(why.isRetryable()).isTrue();
    }

    @Test
    void aPortThatSaysNothingIsNamedAfterTheConnectTimeout() throws Exception {
        FakeCanalServer silent = FakeCanalServer.greeting(new byte[0]);
        closeables.add(silent);
        CanalSettings settings = settings(silent.address(), "secret", Duration.ofSeconds(1));
        SourceException e = failure(CanalConnection.open(group, CanalSettings.hostAndPort("orders", silent.address()),
                settings, new SourceCounters(() -> null), true));
        assertThat(e).hasMessageContaining("the server sent no Canal handshake within connectTimeout PT1S")
                .hasMessageContaining("is this a Canal server port?");
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void aClosedPortCannotBeConnectedAndIsRetryable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SourceException e = failure(open("127.0.0.1:" + port, "secret", true));
        assertThat(e).hasMessageStartingWith("Canal source 'orders' at 127.0.0.1:" + port
                + ", destination 'example': cannot connect");
        assertThat(e.isRetryable()).isTrue();
    }
}
