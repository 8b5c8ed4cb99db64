package dev.canalboot.canal;

import com.google.protobuf.ByteString;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceLifecycle;
import dev.canalboot.source.SourceState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link ChangeSource} reading one destination of a Canal server (Canal 1.1.x protocol).
 * <p>
 * Fetch ahead: up to {@code prefetch} batches are requested or buffered beyond the one being dispatched,
 * so the consumer does not wait on the network between batches. Batches are acknowledged in order and only
 * when the container says so; a rollback rolls back every unacknowledged batch on the server (they come
 * again, in order). On connection loss the source reconnects with back-off, trying the configured
 * addresses in turn (or the server Canal's ZooKeeper registry names, {@link CanalSettings#zooKeeper()}, following
 * it when another server takes the destination over), re-authenticates, re-subscribes and rolls back what was not
 * acknowledged; batches handed out before the loss are delivered again (at least once).
 * <p>
 * Two halves, as the binlog source: {@link CanalFetchLoop} owns the connection, the fetch-ahead and the reconnect
 * on one Netty event loop; this class is the consumer half, on the container's thread: it converts fetched
 * entries in {@link #poll} and remembers what each handed-out batch acknowledges on the server. State, failure and
 * restart are the shared {@link SourceLifecycle}'s; counters are {@link SourceCounters}.
 */
public final class CanalChangeSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(CanalChangeSource.class);

    /** A batch the container holds: what its ack refers to on the server. */
    private record Handed(long canalBatchId, long generation, boolean endsInTransaction) {
    }

    private final CanalSettings settings;
    private final CanalEntryConverter converter;
    private final SourceLifecycle lifecycle;
    private final SourceCounters counters;
    private final CanalFetchLoop fetchLoop;
    private final Map<Long, Handed> handed = new ConcurrentHashMap<>();
    private final AtomicLong nextBatchId = new AtomicLong(1);

    // Container thread: the stream the converter is in, to restore its transaction state on redelivery.
    private long convertedGeneration;
    private long convertedRollbacks;
    private boolean ackedEndsInTransaction;

    /** Local time the server's position last moved on, or of the session's start: what the stall check compares. */
    private volatile long lastProgressMillis;
    /** The newest binlog position of any entry received (container thread). */
    private volatile @Nullable SourcePosition newestPosition;
    /** Tells a Canal server that stopped reading from an idle one; null unless {@link #watchUpstream} was called. */
    private volatile @Nullable UpstreamWatch upstreamWatch;

    /** Sees every raw entry before conversion (tests compare Canal's own flags with the model). */
    private volatile Consumer<ByteString> entryObserver = entry -> { };

    public CanalChangeSource(CanalSettings settings) {
        this.settings = settings;
        this.converter = new CanalEntryConverter(settings.name(),
                new CanalValueConverter(settings.serverZone(), settings.zeroDates()));
        this.lifecycle = new SourceLifecycle("Canal source '" + settings.name() + "'", settings.reconnectPolicy());
        this.counters = new SourceCounters(this::serverDescription, this::stalled);
        this.fetchLoop = new CanalFetchLoop(settings, lifecycle, counters, new CanalFetchLoop.Events() {
            @Override
            public void onSession() {
                lastProgressMillis = System.currentTimeMillis();
                newestPosition = null; // another server, or a re-created database, may number its binlog anew
            }

            @Override
            public void onFailed(SourceException error) {
                UpstreamWatch watch = upstreamWatch;
                if (watch != null) {
                    watch.stop();
                }
            }
        });
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The server read from (or waited for), and where it was found: what health and the endpoint show. */
    private String serverDescription() {
        return fetchLoop.serverDescription();
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
        SourceState current = lifecycle.state();
        if (current != SourceState.IDLE && current != SourceState.STOPPED && current != SourceState.FAILED) {
            upstreamWatch.start(name());
        }
    }

    /** The stall timeout of {@link #watchUpstream}; {@code null} when the database is not watched. */
    public @Nullable Duration stallTimeout() {
        UpstreamWatch watch = upstreamWatch;
        return watch == null ? null : watch.stallTimeout();
    }

    /**
     * Since when every fetch came back empty. Only a source that keeps asking can tell: while batches wait for the
     * container (a slow or paused listener) or the connection is down, it is "now".
     */
    private long lastAskedInVainSince() {
        return fetchLoop.buffered.get() > 0 || lifecycle.state() != SourceState.CONNECTED ? System.currentTimeMillis()
                : lastProgressMillis;
    }

    /**
     * Why the Canal server is taken to have stopped reading the binlog (see {@link #watchUpstream}), or
     * {@code null}: not watched, or delivering.
     */
    public @Nullable String stalled() {
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
     *                         (not retryable), or no server reachable and no reconnect attempt allowed
     */
    @Override
    public synchronized void start() {
        if (lifecycle.beginStart(this::close, fetchLoop.group())) {
            fetchLoop.forgetPreviousRun();
            handed.clear();
            log.info("Canal source '{}': starting again", name());
        }
        lastProgressMillis = System.currentTimeMillis();
        fetchLoop.open();
        UpstreamWatch watch = upstreamWatch;
        if (watch != null && !lifecycle.isOver()) {
            watch.start(name());
        }
    }

    @Override
    public @Nullable ChangeBatch poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            lifecycle.checkOpen();
            lifecycle.throwIfFailed();
            CanalFetchLoop.Fetched next = fetchLoop.fetched.poll(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            if (next == null) {
                return null;
            }
            if (next == CanalFetchLoop.WAKE_UP) {
                continue;
            }
            fetchLoop.taken();
            if (next.generation() != fetchLoop.generation()
                    || next.rollbacks() != fetchLoop.rollbacksRequested.get()) {
                continue; // rolled back on the server by a reconnect or a rollback: it comes again
            }
            return toBatch(next);
        }
    }

    private ChangeBatch toBatch(CanalFetchLoop.Fetched next) {
        if (next.generation() != convertedGeneration || next.rollbacks() != convertedRollbacks) {
            // The server delivers again from the last acknowledged batch.
            convertedGeneration = next.generation();
            convertedRollbacks = next.rollbacks();
            converter.inTransaction(ackedEndsInTransaction);
        }
        List<ByteString> entries = Objects.requireNonNull(next.messages(), "a fetched batch").getMessagesList();
        List<ChangeEvent> events = new ArrayList<>(entries.size());
        long executeTime = 0;
        for (ByteString entry : entries) {
            entryObserver.accept(entry);
            try {
                executeTime = converter.convert(entry, events);
            } catch (IllegalArgumentException e) {
                SourceException error = new SourceException("Canal source '" + name() + "' at " + fetchLoop.server()
                        + ", destination '" + settings.destination() + "', batch " + next.canalBatchId() + ": "
                        + e.getMessage(), e, false);
                fetchLoop.fail(error);
                throw error;
            }
        }
        if (executeTime > 0) {
            counters.lastEventAt(java.time.Instant.ofEpochMilli(executeTime));
        }
        counters.eventsHandedOver(events.size());
        noteProgress(events);
        long id = nextBatchId.getAndIncrement();
        handed.put(id, new Handed(next.canalBatchId(), next.generation(), converter.inTransaction()));
        counters.batchHandedOver();
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
        if (acked.generation() == fetchLoop.generation()) {
            ackedEndsInTransaction = acked.endsInTransaction();
        }
        fetchLoop.ack(acked.canalBatchId(), acked.generation(), batch.id());
    }

    @Override
    public void rollback(ChangeBatch batch) {
        handed.clear();
        fetchLoop.rollback();
    }

    /**
     * Removes this client's subscription and its position on the server (a later subscription of the same
     * client id starts from the destination's current position). Not done by {@link #close()}.
     */
    public void unsubscribe() {
        fetchLoop.unsubscribe();
    }

    @Override
    public synchronized void close() {
        if (!lifecycle.close()) {
            return;
        }
        UpstreamWatch watch = upstreamWatch;
        if (watch != null) {
            watch.stop();
        }
        fetchLoop.close();
    }

    @Override
    public SourceState state() {
        return lifecycle.state();
    }

    void observeEntries(Consumer<ByteString> observer) {
        this.entryObserver = observer;
    }

    /** The error that failed the source, or {@code null}. */
    @Override
    public @Nullable SourceException lastError() {
        return lifecycle.lastError();
    }

    /** Its counters; the heartbeat is the last empty fetch with nothing buffered. */
    @Override
    public SourceCounters statistics() {
        return counters;
    }
}
