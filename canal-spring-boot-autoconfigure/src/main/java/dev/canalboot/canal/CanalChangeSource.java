package dev.canalboot.canal;

import com.google.protobuf.ByteString;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.PreviousRun;
import dev.canalboot.source.ReconnectPolicy;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.source.SourceStatistics;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ChangeSource} reading one destination of a Canal server (Canal 1.1.x protocol).
 * <p>
 * Fetch ahead: up to {@code prefetch} batches are requested or buffered beyond the one being dispatched,
 * so the consumer does not wait on the network between batches. Batches are acknowledged in order and only
 * when the container says so; a rollback rolls back every unacknowledged batch on the server (they come
 * again, in order). On connection loss the source reconnects with back-off, trying the configured
 * addresses in turn, re-authenticates, re-subscribes and rolls back what was not acknowledged; batches
 * handed out before the loss are delivered again (at least once).
 * <p>
 * Connection state lives on one Netty event loop; {@link #poll} converts entries on the caller's thread.
 */
public final class CanalChangeSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(CanalChangeSource.class);

    /** A fetched batch, tagged with the session and rollback count it was requested in. */
    private record Fetched(long canalBatchId, long generation, long rollbacks, Messages messages) {
    }

    /** A batch the container holds: what its ack refers to on the server. */
    private record Handed(long canalBatchId, long generation, boolean endsInTransaction) {
    }

    private static final Fetched WAKE_UP = new Fetched(-1, -1, -1, null);
    /** How long close() lets the server read what was sent before the socket is closed. */
    private static final Duration CLOSE_LINGER = Duration.ofSeconds(2);

    private final CanalSettings settings;
    private final CanalEntryConverter converter;
    private final BlockingQueue<Fetched> fetched = new LinkedBlockingQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Map<Long, Handed> handed = new ConcurrentHashMap<>();
    private final AtomicLong nextBatchId = new AtomicLong(1);
    /** Rollbacks asked for by the container; a fetched batch requested before the latest one is stale. */
    private final AtomicLong rollbacksRequested = new AtomicLong();

    // Container thread: the stream the converter is in, to restore its transaction state on redelivery.
    private long convertedGeneration;
    private long convertedRollbacks;
    private boolean ackedEndsInTransaction;

    private final LongAdder bytesRead = new LongAdder();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong lastEntryTimestamp = new AtomicLong();
    /** Local time of the last empty fetch with nothing buffered: the server had nothing more (for lag). */
    private volatile long lastIdleFetchMillis;
    /** Local time the server's position last moved on, or of the session's start: what the stall check compares. */
    private volatile long lastProgressMillis;
    /** The newest binlog position of any entry received (container thread). */
    private volatile SourcePosition newestPosition;
    /** Tells a Canal server that stopped reading from an idle one; null unless {@link #watchUpstream} was called. */
    private volatile UpstreamWatch upstreamWatch;

    /** Sees every raw entry before conversion (tests compare Canal's own flags with the model). */
    private volatile java.util.function.Consumer<ByteString> entryObserver = entry -> { };

    private volatile SourceState state = SourceState.IDLE;
    /** {@code host:port} of the current or last session, for error messages. */
    private volatile String server = "(not connected)";
    private volatile SourceException failure;
    /** Session counter: a fetched batch from an earlier session was rolled back by the reconnect. */
    private volatile long generation;

    // Event-loop confined.
    private EventLoopGroup group;
    private EventLoop loop;
    private CanalConnection connection;
    private int inFlight;
    /** The last answer carried a batch: the next GETs take what the server holds without waiting. */
    private boolean flowing;
    private long rollbacksSent;
    private int addressIndex;
    private int failedAttempts;
    /** Whether any session of this run subscribed: before that, every rejection is a configuration error. */
    private boolean everSubscribed;

    public CanalChangeSource(CanalSettings settings) {
        this.settings = settings;
        this.converter = new CanalEntryConverter(settings.name(),
                new CanalValueConverter(settings.serverZone(), settings.zeroDates()));
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The shortest stall timeout: Canal forwards a commit's transaction entries at least every 5 seconds. */
    public static final Duration MIN_STALL_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Watches the database the Canal server reads, so that a server that stopped reading the binlog (and answers
     * every fetch with nothing, as an idle one does) is reported: {@link #stalled()}, health, the {@code canal}
     * endpoint and an ERROR log line. Call before {@link #start()}.
     *
     * @param probe        reads the database's commit marker, e.g. {@link DatabaseCommitProbe}
     * @param stallTimeout how long commits may go without any entry from Canal; at least {@link #MIN_STALL_TIMEOUT}
     */
    public synchronized void watchUpstream(UpstreamProbe probe, Duration stallTimeout) {
        if (stallTimeout.compareTo(MIN_STALL_TIMEOUT) < 0) {
            throw new IllegalArgumentException("Canal source '" + name() + "': the stall timeout " + stallTimeout
                    + " is shorter than " + MIN_STALL_TIMEOUT + " (Canal forwards an idle destination's commits only"
                    + " every 5 seconds); use " + MIN_STALL_TIMEOUT + " or more");
        }
        if (upstreamWatch != null) {
            upstreamWatch.stop();
        }
        upstreamWatch = new UpstreamWatch("Canal source '" + name() + "', destination '" + settings.destination()
                + "'", probe, stallTimeout, this::lastAskedInVainSince);
        if (state != SourceState.IDLE && state != SourceState.STOPPED && state != SourceState.FAILED) {
            upstreamWatch.start(name());
        }
    }

    /** The stall timeout of {@link #watchUpstream}; {@code null} when the database is not watched. */
    public Duration stallTimeout() {
        UpstreamWatch watch = upstreamWatch;
        return watch == null ? null : watch.stallTimeout();
    }

    /**
     * Since when every fetch came back empty. Only a source that keeps asking can tell: while batches wait for the
     * container (a slow or paused listener) or the connection is down, it is "now".
     */
    private long lastAskedInVainSince() {
        return buffered.get() > 0 || state != SourceState.CONNECTED ? System.currentTimeMillis()
                : lastProgressMillis;
    }

    /**
     * Why the Canal server is taken to have stopped reading the binlog (see {@link #watchUpstream}), or
     * {@code null}: not watched, or delivering.
     */
    public String stalled() {
        UpstreamWatch watch = upstreamWatch;
        return watch == null ? null : watch.verdict();
    }

    public CanalSettings settings() {
        return settings;
    }

    /**
     * Opens a session, trying each address once. When no server is reachable, the source retries in the
     * background with the reconnect back-off (state {@link SourceState#RECONNECTING}), as after a lost connection.
     * After {@link #close()} or a failure this starts a fresh session: the server rolls back what was not
     * acknowledged, so delivery goes on from the last ack.
     *
     * @throws SourceException naming the server(s) and cause: wrong credentials or an unknown destination
     *                         (not retryable), or no server reachable with a reconnect limit of 0
     */
    @Override
    public synchronized void start() {
        if (state != SourceState.IDLE && state != SourceState.STOPPED && state != SourceState.FAILED) {
            throw new IllegalStateException("Canal source '" + name() + "' is " + state
                    + "; close it before starting it again");
        }
        if (group != null) {
            endPreviousRun();
        }
        state = SourceState.CONNECTING;
        lastProgressMillis = System.currentTimeMillis();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("canal-" + name(), true),
                NioIoHandler.newFactory());
        loop = group.next();
        SourceException last = null;
        for (int i = 0; i < settings.addresses().size(); i++) {
            CanalSettings.HostAndPort address = CanalSettings.hostAndPort(name(), settings.addresses().get(i));
            try {
                CanalConnection opened = await(CanalConnection.open(loop, address, settings, bytesRead, true));
                addressIndex = i;
                loop.execute(() -> onSession(opened));
                if (upstreamWatch != null) {
                    upstreamWatch.start(name());
                }
                return;
            } catch (SourceException e) {
                last = e;
                if (!e.isRetryable()) {
                    break;
                }
                if (i < settings.addresses().size() - 1) {
                    log.warn("{}; trying the next address", e.getMessage());
                }
            }
        }
        if (last.isRetryable() && !settings.reconnectPolicy().exhausted(1)) {
            // No server reachable yet: retried in the background exactly as a connection lost later.
            state = SourceState.RECONNECTING;
            SourceException cause = last;
            loop.execute(() -> scheduleReconnect(cause));
            return;
        }
        state = SourceState.FAILED;
        failure = last;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        throw last;
    }

    /** Closes what a failed run left open and forgets what the previous session fetched or handed out. */
    private void endPreviousRun() {
        close();
        PreviousRun.awaitEnded("Canal source '" + name() + "'", group);
        generation++; // anything still tagged with the old session is stale
        fetched.clear();
        buffered.set(0);
        handed.clear();
        connection = null;
        inFlight = 0;
        rollbacksSent = rollbacksRequested.get(); // a rollback the closed loop never sent: the new session rolls back
        failedAttempts = 0;
        everSubscribed = false;
        failure = null;
        log.info("Canal source '{}': starting again", name());
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

    @Override
    public ChangeBatch poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SourceException failed = failure;
            if (failed != null && (state == SourceState.FAILED)) {
                throw failed;
            }
            if (state == SourceState.STOPPED) {
                throw new IllegalStateException("Canal source '" + name() + "' is closed; start it again to poll");
            }
            Fetched next = fetched.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                return null;
            }
            if (next == WAKE_UP) {
                continue;
            }
            buffered.decrementAndGet();
            execute(this::fill);
            if (next.generation() != generation || next.rollbacks() != rollbacksRequested.get()) {
                continue; // rolled back on the server by a reconnect or a rollback: it comes again
            }
            return toBatch(next);
        }
    }

    private ChangeBatch toBatch(Fetched next) {
        if (next.generation() != convertedGeneration || next.rollbacks() != convertedRollbacks) {
            // The server delivers again from the last acknowledged batch.
            convertedGeneration = next.generation();
            convertedRollbacks = next.rollbacks();
            converter.inTransaction(ackedEndsInTransaction);
        }
        List<ByteString> entries = next.messages().getMessagesList();
        List<ChangeEvent> events = new ArrayList<>(entries.size());
        long executeTime = 0;
        for (ByteString entry : entries) {
            entryObserver.accept(entry);
            try {
                executeTime = converter.convert(entry, events);
            } catch (IllegalArgumentException e) {
                SourceException error = new SourceException("Canal source '" + name() + "' at " + server
                        + ", destination '" + settings.destination() + "', batch " + next.canalBatchId() + ": "
                        + e.getMessage(), e, false);
                fail(error);
                throw error;
            }
        }
        if (executeTime > 0) {
            lastEntryTimestamp.set(executeTime);
        }
        noteProgress(events);
        long id = nextBatchId.getAndIncrement();
        handed.put(id, new Handed(next.canalBatchId(), next.generation(), converter.inTransaction()));
        batches.incrementAndGet();
        return new ChangeBatch(id, events);
    }

    /**
     * Counts a batch as the server's progress only when it reaches past every binlog position seen before: a
     * Canal server whose parser fails and restarts sends the last transaction end again each time.
     */
    private void noteProgress(List<ChangeEvent> events) {
        for (ChangeEvent event : events) {
            SourcePosition position = event.position();
            if (position == null || position.file() == null || position.offset() < 0) {
                continue;
            }
            SourcePosition newest = newestPosition;
            int order = newest == null ? 1 : position.file().compareTo(newest.file());
            if (order > 0 || (order == 0 && position.offset() > newest.offset())) {
                newestPosition = position;
                lastProgressMillis = System.currentTimeMillis();
            }
        }
    }

    @Override
    public void ack(ChangeBatch batch) {
        Handed acked = handed.remove(batch.id());
        if (acked == null) {
            throw new IllegalArgumentException("Canal source '" + name() + "': batch " + batch.id()
                    + " is not outstanding (already acknowledged or rolled back)");
        }
        if (acked.generation() == generation) {
            ackedEndsInTransaction = acked.endsInTransaction();
        }
        execute(() -> {
            if (connection != null && acked.generation() == generation) {
                connection.ack(acked.canalBatchId());
            } else {
                log.debug("Canal source '{}': batch {} acknowledged after a reconnect; the server delivers it again",
                        name(), batch.id());
            }
        });
    }

    @Override
    public void rollback(ChangeBatch batch) {
        rollbacksRequested.incrementAndGet();
        handed.clear();
        execute(() -> {
            rollbacksSent++;
            dropFetched();
            if (connection != null) {
                connection.rollbackAll();
            }
            fill();
        });
    }

    /**
     * Removes this client's subscription and its position on the server (a later subscription of the same
     * client id starts from the destination's current position). Not done by {@link #close()}.
     */
    public void unsubscribe() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean scheduled = execute(() -> {
            if (connection == null) {
                done.completeExceptionally(new SourceException("Canal source '" + name() + "' is not connected"));
            } else {
                connection.unsubscribe().whenComplete((ok, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(null);
                    }
                });
            }
        });
        if (!scheduled) {
            throw new SourceException("Canal source '" + name() + "' is not running (" + state + ")");
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

    @Override
    public synchronized void close() {
        if (state == SourceState.STOPPED) {
            return;
        }
        state = SourceState.STOPPED;
        if (upstreamWatch != null) {
            upstreamWatch.stop();
        }
        if (group != null) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            boolean scheduled = execute(() -> {
                if (connection != null) {
                    connection.close(CLOSE_LINGER).whenComplete((ok, error) -> closed.complete(null));
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
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        fetched.offer(WAKE_UP);
    }

    @Override
    public SourceState state() {
        return state;
    }

    void observeEntries(java.util.function.Consumer<ByteString> observer) {
        this.entryObserver = observer;
    }

    /** The error that failed the source, or {@code null}. */
    public SourceException lastError() {
        return failure;
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Its heartbeat is the last empty fetch. */
    @Override
    public SourceStatistics statistics() {
        return statistics;
    }

    private final SourceStatistics statistics = new SourceStatistics() {
        @Override
        public String server() {
            return String.join(",", settings.addresses()) + "/" + settings.destination();
        }

        @Override
        public long bytesRead() {
            return CanalChangeSource.this.bytesRead();
        }

        @Override
        public long reconnects() {
            return CanalChangeSource.this.reconnects();
        }

        @Override
        public java.time.Instant lastEventTimestamp() {
            return instant(lastEntryTimestamp());
        }

        @Override
        public java.time.Instant lastHeartbeat() {
            return instant(lastIdleFetchMillis());
        }

        @Override
        public String stalled() {
            return CanalChangeSource.this.stalled();
        }

        private static java.time.Instant instant(long epochMillis) {
            return epochMillis <= 0 ? null : java.time.Instant.ofEpochMilli(epochMillis);
        }
    };

    /** Reconnection attempts since start. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Non-empty batches handed to the container (redeliveries count again). */
    public long batches() {
        return batches.get();
    }

    /** Execute time (epoch millis) of the newest entry handed out, 0 before the first. */
    public long lastEntryTimestamp() {
        return lastEntryTimestamp.get();
    }

    /**
     * Local time (epoch millis) the server last answered a fetch with nothing while no fetched batch
     * waited for the container, 0 before that: the source's heartbeat, so an idle source shows no lag.
     */
    public long lastIdleFetchMillis() {
        return lastIdleFetchMillis;
    }

    // ---- event loop ----

    /** Runs {@code task} on the event loop; false when there is none (not started, or shut down). */
    private boolean execute(Runnable task) {
        if (loop == null || loop.isShuttingDown()) {
            return false;
        }
        try {
            loop.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false; // shut down between the check and the call
        }
    }

    private void onSession(CanalConnection opened) {
        if (state == SourceState.STOPPED || state == SourceState.FAILED) {
            opened.close(CLOSE_LINGER);
            return;
        }
        connection = opened;
        everSubscribed = true;
        server = opened.server();
        inFlight = 0;
        lastProgressMillis = System.currentTimeMillis();
        newestPosition = null; // another server, or a re-created database, may number its binlog anew
        state = SourceState.CONNECTED;
        log.info("Canal source '{}' subscribed to destination '{}' at {} (filter: {})", name(),
                settings.destination(), opened.server(),
                settings.useServerFilter() ? "the server's" : "'" + settings.filter() + "'");
        opened.closeFuture().thenAccept(error -> onClosed(opened, error));
        fill();
    }

    /**
     * Keeps requests plus buffered batches at {@code prefetch}. The server holds a waiting GET until a full
     * batch or the wait ends, so a waiting GET delays every change by up to its wait: while changes flow the
     * GETs take what is there at once, and only after an empty answer does a GET wait (fetchTimeout) to
     * avoid spinning on an idle server.
     */
    private void fill() {
        CanalConnection current = connection;
        if (current == null || !current.isOpen() || state != SourceState.CONNECTED) {
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
                failedAttempts = 0;
                // Batch id -1: nothing arrived within fetchTimeout. Any other batch, even one without entries,
                // goes to the container so that acknowledgements stay in the server's order.
                flowing = messages.getBatchId() != -1;
                if (flowing) {
                    buffered.incrementAndGet();
                    fetched.offer(new Fetched(messages.getBatchId(), requestedIn, rollbacks, messages));
                } else if (buffered.get() == 0) {
                    lastIdleFetchMillis = System.currentTimeMillis();
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
        if (state == SourceState.STOPPED || state == SourceState.FAILED) {
            return;
        }
        if (!error.isRetryable()) {
            fail(error);
            return;
        }
        generation++;
        dropFetched();
        state = SourceState.RECONNECTING;
        scheduleReconnect(error);
    }

    private void scheduleReconnect(SourceException cause) {
        failedAttempts++;
        ReconnectPolicy policy = settings.reconnectPolicy();
        if (policy.exhausted(failedAttempts)) {
            fail(new SourceException("Canal source '" + name() + "', destination '" + settings.destination()
                    + "': gave up after " + policy.maxAttempts() + " reconnection attempts; last error: "
                    + cause.getMessage(), cause, false));
            return;
        }
        Duration wait = policy.delayBefore(failedAttempts);
        log.warn("{}; reconnecting in {} ({})", cause.getMessage(), wait, policy.describe(failedAttempts));
        loop.schedule(this::reconnect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconnect() {
        if (state != SourceState.RECONNECTING) {
            return;
        }
        reconnects.incrementAndGet();
        CanalSettings.HostAndPort address =
                CanalSettings.hostAndPort(name(), settings.addresses().get(addressIndex));
        // Until a first session, a rejection (credentials, destination) is the configuration's, not a restart's.
        CanalConnection.open(loop, address, settings, bytesRead, !everSubscribed).whenComplete((opened, error) ->
                loop.execute(() -> {
                    if (error == null) {
                        onSession(opened);
                        return;
                    }
                    SourceException cause = error instanceof SourceException s ? s
                            : new SourceException("Canal source '" + name() + "': " + error.getMessage(), error, true);
                    if (!cause.isRetryable()) {
                        fail(cause);
                        return;
                    }
                    addressIndex = (addressIndex + 1) % settings.addresses().size();
                    scheduleReconnect(cause);
                }));
    }

    private void fail(SourceException error) {
        if (state == SourceState.STOPPED) {
            return;
        }
        failure = error;
        state = SourceState.FAILED;
        if (upstreamWatch != null) {
            upstreamWatch.stop();
        }
        log.error("{}", error.getMessage());
        execute(() -> {
            if (connection != null) {
                connection.close(CLOSE_LINGER);
                connection = null;
            }
        });
        fetched.offer(WAKE_UP);
    }
}
