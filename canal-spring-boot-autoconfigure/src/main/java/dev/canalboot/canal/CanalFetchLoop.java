package dev.canalboot.canal;

import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceLifecycle;
import dev.canalboot.source.SourceState;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event-loop half of a {@link CanalChangeSource}: the connection to the Canal server, the fetch-ahead that keeps
 * {@code prefetch} batches requested or buffered, acknowledgements and rollbacks on the server, and the reconnect
 * with back-off across the configured addresses, or to the server that Canal's ZooKeeper registry names (see
 * {@link RunningServerRegistry}: a change there ends the session with the server no longer named, and the reconnect
 * goes to the new one). Every field below "event loop" is touched only on the run's one
 * Netty event loop; the consumer half meets this one at the {@link #fetched} queue and the methods that post to the
 * loop ({@link #ack}, {@link #rollback}, {@link #unsubscribe}, {@link #close}).
 */
final class CanalFetchLoop {

    private static final Logger log = LoggerFactory.getLogger(CanalFetchLoop.class);

    /** A fetched batch, tagged with the session and rollback count it was requested in. */
    record Fetched(long canalBatchId, long generation, long rollbacks, @Nullable Messages messages) {
    }

    /** Wakes a consumer waiting in {@link BlockingQueue#poll} (close, failure). */
    static final Fetched WAKE_UP = new Fetched(-1, -1, -1, null);
    /** How long close() lets the server read what was sent before the socket is closed. */
    private static final Duration CLOSE_LINGER = Duration.ofSeconds(2);

    /** What the consumer half learns from the loop. */
    interface Events {
        /** A session subscribed (the first one, or after a reconnect). */
        void onSession();

        /** The source failed for good (already FAILED); called once, on any thread. */
        void onFailed(SourceException error);
    }

    private final CanalSettings settings;
    private final SourceLifecycle lifecycle;
    private final SourceCounters counters;
    private final Events events;

    /** Batches fetched and not yet taken by the consumer, plus {@link #WAKE_UP}s. */
    final BlockingQueue<Fetched> fetched = new LinkedBlockingQueue<>();
    /** Batches in {@link #fetched} (without wake-ups). */
    final AtomicInteger buffered = new AtomicInteger();
    /** Rollbacks asked for by the consumer; a fetched batch requested before the latest one is stale. */
    final AtomicLong rollbacksRequested = new AtomicLong();
    /** Session counter: a fetched batch from an earlier session was rolled back by the reconnect. */
    private volatile long generation;
    /** {@code host:port} of the current or last session, for error messages. */
    private volatile String server = "(not connected)";
    /** Where the running server is found, when not at fixed addresses; one per run. */
    private volatile @Nullable RunningServerRegistry registry;

    // ---- event loop ----
    private @Nullable EventLoopGroup group;
    private @Nullable EventLoop loop;
    private @Nullable CanalConnection connection;
    private int inFlight;
    /** The last answer carried a batch: the next GETs take what the server holds without waiting. */
    private boolean flowing;
    private long rollbacksSent;
    private int addressIndex;
    /** The reconnect waiting for its back-off, which a newly registered server cuts short. */
    private io.netty.util.concurrent.@Nullable ScheduledFuture<?> pendingReconnect;
    /** Whether any session of this run subscribed: before that, every rejection is a configuration error. */
    private boolean everSubscribed;

    CanalFetchLoop(CanalSettings settings, SourceLifecycle lifecycle, SourceCounters counters, Events events) {
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.events = events;
    }

    private String name() {
        return settings.name();
    }

    long generation() {
        return generation;
    }

    String server() {
        return server;
    }

    /** What health and the endpoint show as the server: the one read from, and where it was found. */
    String serverDescription() {
        RunningServerRegistry watch = registry;
        String destination = "/" + settings.destination();
        if (watch == null) {
            return settings.zooKeeper() == null ? String.join(",", settings.addresses()) + destination
                    : "(not started)" + destination + " (server from ZooKeeper " + settings.zooKeeper() + ")";
        }
        if (lifecycle.state() == SourceState.CONNECTED) {
            return server + destination + " (running server per " + watch.describe() + ")";
        }
        CanalSettings.HostAndPort running = watch.running();
        return running != null ? running + destination + " (running server per " + watch.describe() + "; connecting)"
                : "(none)" + destination + " (" + watch.whyNoneRuns() + "; waiting for a server to register)";
    }

    /** The current run's event loops (for the restart guard); {@code null} before the first start. */
    @Nullable EventLoopGroup group() {
        return group;
    }

    /** After the previous run was closed and its loop ended: forgets what it fetched or handed out. */
    void forgetPreviousRun() {
        generation++; // anything still tagged with the old session is stale
        fetched.clear();
        buffered.set(0);
        connection = null;
        pendingReconnect = null; // scheduled on the closed run's loop
        inFlight = 0;
        rollbacksSent = rollbacksRequested.get(); // a rollback the closed loop never sent: the new session rolls back
        everSubscribed = false;
    }

    /**
     * Opens a session, trying each address once (on the caller's thread, which waits). When no server is reachable,
     * the retry goes on in the background with the reconnect back-off (state RECONNECTING).
     *
     * @throws SourceException what retrying cannot fix, or the last error when the reconnect policy allows no retry
     */
    void open() {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("canal-" + name(), true),
                NioIoHandler.newFactory());
        EventLoop runLoop = group.next();
        loop = runLoop;
        SourceException last = openRegistry();
        // The registry names one server; fixed addresses are each tried once.
        int candidates = last != null ? 0 : registry != null ? 1 : settings.addresses().size();
        for (int i = 0; i < candidates; i++) {
            try {
                CanalSettings.HostAndPort address = address(i);
                CanalConnection opened = await(CanalConnection.open(runLoop, address, settings, counters, true));
                addressIndex = i;
                runLoop.execute(() -> onSession(opened));
                return;
            } catch (SourceException e) {
                last = e;
                if (!e.isRetryable()) {
                    break;
                }
                if (i < candidates - 1) {
                    log.warn("{}; trying the next address", e.getMessage());
                }
            }
        }
        if (last.isRetryable()) {
            // No server reachable yet: retried in the background exactly as a connection lost later.
            SourceException cause = last;
            SourceLifecycle.Reconnect next = lifecycle.reconnectAfterFailure();
            if (next != null && !next.exhausted()) {
                runLoop.execute(() -> scheduleReconnect(cause, next));
                return;
            }
            last = lifecycle.gaveUp(description(), cause);
        }
        fail(last);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        throw last;
    }

    /**
     * With a ZooKeeper registry: starts watching it and waits up to connectTimeout for its first answer.
     *
     * @return what keeps the source from using it (no Curator), or {@code null}
     */
    private @Nullable SourceException openRegistry() {
        if (settings.zooKeeper() == null) {
            return null;
        }
        RunningServerRegistry watch;
        try {
            watch = RunningServerRegistry.zooKeeper(settings);
        } catch (SourceException e) {
            return e;
        }
        registry = watch;
        watch.start(() -> execute(this::followRunningServer));
        try {
            if (!watch.awaitFirstView(settings.connectTimeout())) {
                log.warn("Canal source '{}': {}; the source retries until it names a running server",
                        name(), watch.whyNoneRuns());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SourceException("Canal source '" + name() + "': interrupted while reading " + watch.describe(),
                    e, false);
        }
        return null;
    }

    /**
     * The server to try: the {@code index}th address, or the one the registry names.
     *
     * @throws SourceException (retryable) when the registry names none
     */
    private CanalSettings.HostAndPort address(int index) {
        RunningServerRegistry watch = registry;
        if (watch == null) {
            return CanalSettings.hostAndPort(name(), settings.addresses().get(index));
        }
        CanalSettings.HostAndPort running = watch.running();
        if (running == null) {
            throw new SourceException("Canal source '" + name() + "': " + watch.whyNoneRuns(), null, true);
        }
        return running;
    }

    private CanalConnection await(CompletableFuture<CanalConnection> session) {
        try {
            // The session enforces connectTimeout itself; this bound only guards against a lost completion.
            return session.get(settings.connectTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SourceException s ? s
                    : new SourceException("Canal source '" + name() + "': session failed", e.getCause());
        } catch (TimeoutException e) {
            throw new SourceException("Canal source '" + name() + "': no session within "
                    + settings.connectTimeout().multipliedBy(2), e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("Canal source '" + name() + "': interrupted while connecting", e, true);
        }
    }

    /** What reconnects aim at, for the give-up message. */
    private String description() {
        RunningServerRegistry watch = registry;
        return "destination '" + settings.destination() + "' at "
                + (watch == null ? String.join(",", settings.addresses()) : "the server named in " + watch.describe());
    }

    /** The consumer took a batch off {@link #fetched}: keep the fetch-ahead full. */
    void taken() {
        buffered.decrementAndGet();
        execute(this::fill);
    }

    /** Acknowledges {@code canalBatchId} on the server, if the session it came from is still the current one. */
    void ack(long canalBatchId, long requestedIn, long batchId) {
        execute(() -> {
            CanalConnection current = connection;
            if (current != null && requestedIn == generation) {
                current.ack(canalBatchId);
            } else {
                log.debug("Canal source '{}': batch {} acknowledged after a reconnect; the server delivers it again",
                        name(), batchId);
            }
        });
    }

    /** Rolls back every unacknowledged batch on the server and drops what was fetched; they come again. */
    void rollback() {
        rollbacksRequested.incrementAndGet();
        execute(() -> {
            rollbacksSent++;
            dropFetched();
            CanalConnection current = connection;
            if (current != null) {
                current.rollbackAll();
            }
            fill();
        });
    }

    /** See {@link CanalChangeSource#unsubscribe()}. */
    void unsubscribe() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean scheduled = execute(() -> {
            CanalConnection current = connection;
            if (current == null) {
                done.completeExceptionally(new SourceException("Canal source '" + name() + "' is not connected"));
            } else {
                current.unsubscribe().whenComplete((ok, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(null);
                    }
                });
            }
        });
        if (!scheduled) {
            throw new SourceException("Canal source '" + name() + "' is not running (" + lifecycle.state() + ")");
        }
        try {
            done.get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SourceException("Canal source '" + name() + "': unsubscribe failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SourceException("Canal source '" + name() + "': no answer to unsubscribe within "
                    + settings.connectTimeout(), e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("Canal source '" + name() + "': interrupted while unsubscribing", e, true);
        }
    }

    /** Closes the connection (letting the server read what was sent) and shuts the event loop down. */
    void close() {
        EventLoopGroup runGroup = group;
        if (runGroup != null) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            boolean scheduled = execute(() -> {
                CanalConnection current = connection;
                if (current != null) {
                    current.close(CLOSE_LINGER).whenComplete((ok, error) -> closed.complete(null));
                    connection = null;
                } else {
                    closed.complete(null);
                }
            });
            if (!scheduled) {
                closed.complete(null);
            }
            try {
                closed.get(CLOSE_LINGER.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("Canal source '{}': connection did not close cleanly: {}", name(), e.toString());
            }
            runGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        closeRegistry();
        fetched.offer(WAKE_UP);
    }

    private void closeRegistry() {
        RunningServerRegistry watch = registry;
        registry = null;
        if (watch != null) {
            watch.close();
        }
    }

    /**
     * Fails the source for good: FAILED with {@code error}, the connection closed, a waiting consumer woken. No-op
     * when the run is over already.
     */
    void fail(SourceException error) {
        if (!lifecycle.fail(error)) {
            return;
        }
        events.onFailed(error);
        log.error("{}", error.getMessage());
        execute(this::closeConnection);
        closeRegistry();
        fetched.offer(WAKE_UP);
    }

    // ---- event loop ----

    /** Runs {@code task} on the event loop; false when there is none (not started, or shut down). */
    private boolean execute(Runnable task) {
        EventLoop runLoop = loop;
        if (runLoop == null || runLoop.isShuttingDown()) {
            return false;
        }
        try {
            runLoop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // shut down between the check and the call
        }
    }

    private void closeConnection() {
        CanalConnection current = connection;
        if (current != null) {
            current.close(CLOSE_LINGER);
            connection = null;
        }
    }

    private void onSession(CanalConnection opened) {
        if (lifecycle.isOver()) {
            opened.close(CLOSE_LINGER);
            return;
        }
        connection = opened;
        everSubscribed = true;
        server = opened.server();
        inFlight = 0;
        events.onSession();
        lifecycle.connected();
        log.info("Canal source '{}' subscribed to destination '{}' at {} (filter: {})", name(),
                settings.destination(), opened.server(),
                settings.useServerFilter() ? "the server's" : "'" + settings.filter() + "'");
        opened.closeFuture().thenAccept(error -> onClosed(opened, error));
        fill();
        followRunningServer(); // the registry may have moved on while this session was being set up
    }

    /**
     * The registry changed: a session with a server it no longer names ends (the reconnect goes to the new one); a
     * reconnect waiting for its back-off goes now when a server is named. While the registry names none, a session
     * stays with its server as long as that one serves it.
     */
    private void followRunningServer() {
        RunningServerRegistry watch = registry;
        if (watch == null || lifecycle.isOver()) {
            return;
        }
        CanalSettings.HostAndPort running = watch.running();
        if (running == null) {
            return;
        }
        CanalConnection current = connection;
        if (current != null) {
            if (!running.toString().equals(current.server())) {
                current.abandon("destination '" + settings.destination() + "' now runs on " + running + " ("
                        + watch.describe() + "); following it");
            }
            return;
        }
        io.netty.util.concurrent.ScheduledFuture<?> waiting = pendingReconnect;
        if (waiting != null && waiting.cancel(false)) {
            pendingReconnect = null;
            log.info("Canal source '{}': destination '{}' now runs on {}; reconnecting at once", name(),
                    settings.destination(), running);
            reconnect();
        }
    }

    /**
     * Keeps requests plus buffered batches at {@code prefetch}. The server holds a waiting GET until a full
     * batch or the wait ends, so a waiting GET delays every change by up to its wait: while changes flow the
     * GETs take what is there at once, and only after an empty answer does a GET wait (fetchTimeout) to
     * avoid spinning on an idle server.
     */
    private void fill() {
        CanalConnection current = connection;
        if (current == null || !current.isOpen() || lifecycle.state() != SourceState.CONNECTED) {
            return;
        }
        while (inFlight + buffered.get() < settings.prefetch()) {
            inFlight++;
            long requestedIn = generation;
            long rollbacks = rollbacksSent;
            current.get(flowing ? 0 : settings.fetchTimeout().toMillis()).whenComplete((messages, error) -> {
                if (error != null || connection != current) {
                    return; // the session's close handler deals with the failure
                }
                inFlight--;
                // Back-off restarts only once the server answers a GET: a server that accepts sessions but
                // fails every request is retried with growing delays, not in a tight loop.
                lifecycle.attemptSucceeded();
                // Batch id -1: nothing arrived within fetchTimeout. Any other batch, even one without entries,
                // goes to the container so that acknowledgements stay in the server's order.
                flowing = messages.getBatchId() != -1;
                if (flowing) {
                    buffered.incrementAndGet();
                    fetched.offer(new Fetched(messages.getBatchId(), requestedIn, rollbacks, messages));
                } else if (buffered.get() == 0) {
                    counters.heartbeat(); // the server had nothing more: an idle source shows no lag
                }
                fill();
            });
        }
    }

    private void dropFetched() {
        List<Fetched> dropped = new ArrayList<>();
        fetched.drainTo(dropped);
        dropped.removeIf(f -> f == WAKE_UP);
        buffered.addAndGet(-dropped.size());
    }

    private void onClosed(CanalConnection closed, SourceException error) {
        if (connection != closed) {
            return;
        }
        connection = null;
        if (lifecycle.isOver()) {
            return;
        }
        if (!error.isRetryable()) {
            fail(error);
            return;
        }
        generation++;
        dropFetched();
        SourceLifecycle.Reconnect next = lifecycle.reconnectAfterFailure();
        if (next != null) {
            scheduleReconnect(error, next);
        }
    }

    private void scheduleReconnect(SourceException cause, SourceLifecycle.Reconnect next) {
        Duration wait = next.delay();
        if (wait == null) {
            fail(lifecycle.gaveUp(description(), cause));
            return;
        }
        log.warn("{}; reconnecting in {} ({})", cause.getMessage(), wait, next.describe());
        EventLoop runLoop = loop;
        if (runLoop != null) {
            pendingReconnect = runLoop.schedule(this::reconnect, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reconnect() {
        pendingReconnect = null;
        EventLoop runLoop = loop;
        if (lifecycle.state() != SourceState.RECONNECTING || runLoop == null) {
            return;
        }
        counters.reconnecting();
        CanalSettings.HostAndPort address;
        try {
            address = address(addressIndex);
        } catch (SourceException noServer) {
            reconnectFailed(noServer);
            return;
        }
        // Until a first session, a rejection (credentials, destination) is the configuration's, not a restart's.
        CanalConnection.open(runLoop, address, settings, counters, !everSubscribed).whenComplete((opened, error) ->
                runLoop.execute(() -> {
                    if (error == null) {
                        onSession(opened);
                        return;
                    }
                    reconnectFailed(error instanceof SourceException s ? s
                            : new SourceException("Canal source '" + name() + "': " + error.getMessage(), error, true));
                }));
    }

    private void reconnectFailed(SourceException cause) {
        if (!cause.isRetryable()) {
            fail(cause);
            return;
        }
        if (registry == null) {
            addressIndex = (addressIndex + 1) % settings.addresses().size();
        }
        SourceLifecycle.Reconnect again = lifecycle.reconnectAfterFailure();
        if (again != null) {
            scheduleReconnect(cause, again);
        }
    }
}
