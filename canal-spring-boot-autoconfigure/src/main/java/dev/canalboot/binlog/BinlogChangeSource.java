package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.internal.binlog.protocol.ResultSet;
import dev.canalboot.internal.binlog.schema.SchemaHistory;
import dev.canalboot.internal.binlog.schema.ServerCatalog;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.ServerIdentity;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.BinlogPoint;
import dev.canalboot.snapshot.SnapshotMerger;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotProgress;
import dev.canalboot.snapshot.SnapshotRunner;
import dev.canalboot.snapshot.SnapshotSettings;
import dev.canalboot.snapshot.SnapshotStatus;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceLifecycle;
import dev.canalboot.source.SourceState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The starter as a MySQL/MariaDB replica: reads the binlog over one replication connection, decodes it on
 * the connection's event loop into a queue of batches and hands them to the container. Row images are decoded
 * on that event loop (the default) or, as {@link RowDecoding} says, in {@link #poll} on the container's thread.
 * <ul>
 * <li>Back-pressure: when {@code queueCapacity} batches wait, reading from the server pauses until the
 * container drains them, so a transaction of any size streams in bounded memory.</li>
 * <li>Positions: each batch carries the last transaction end it contains; {@link #ack} makes that the
 * {@link #acknowledgedPosition()}, {@link #rollback} reconnects from it.</li>
 * <li>Connection loss, read timeout, server restart: reconnects with back-off, resuming from the last
 * transaction end handed to the queue (events of a transaction cut across batches may come twice).
 * Errors a person must fix (authentication, privileges, purged binlog, server-id clash, undecodable event)
 * fail the source: {@link #poll} throws them once the queued batches are drained.</li>
 * </ul>
 */
public final class BinlogChangeSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(BinlogChangeSource.class);

    private final BinlogSourceSettings settings;
    private final EventDecoder.Factory decoders;
    private final SourceCounters counters;
    private final SourceLifecycle lifecycle;
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    /** Batch id → the last transaction end it contains. */
    private final ConcurrentSkipListMap<Long, BinlogCheckpoint> marks = new ConcurrentSkipListMap<>();
    private final Object lock = new Object();
    /** Saves acknowledged positions; null without a checkpoint store. */
    private final CheckpointCommitter committer;

    private EventLoopGroup streamGroup;
    private EventLoopGroup queryGroup;
    /** Server reads of the schema history, shared by the runs' histories. */
    private ServerCatalog catalog;
    private volatile SchemaHistory shapes;

    // Guarded by lock
    private ReplicaSession session;
    private long nextBatchId = 1;

    /** The server the delivered and acknowledged positions were read on; null while unknown. */
    private volatile ServerIdentity positionsServer;
    private volatile BinlogCheckpoint acknowledged;
    private volatile BinlogCheckpoint delivered;

    private SnapshotSettings snapshotSettings = SnapshotSettings.never();
    /**
     * Whether a new snapshot is due (mode not never) when the checkpoint records none running: nothing acknowledged
     * or loaded yet, or when-needed started over after a purged binlog.
     */
    private volatile boolean snapshotDue;
    /** The table patterns of the source's listeners: what it snapshots when {@code snapshot.tables} is empty. */
    private volatile Supplier<List<String>> listenedTables = List::of;
    /** Where a session starts when nothing was delivered, instead of the configured start (when-needed: the end). */
    private volatile @Nullable StartPosition restartAt;
    /** when-needed is starting over: nothing is delivered until the new snapshot runs. */
    private volatile boolean startingOver;
    /** initial-only: an empty batch saying the snapshot is done is due (no table to read). */
    private volatile boolean doneBatchDue;
    /** initial-only: the batch that completes the snapshot was handed out; nothing after it is. */
    private volatile boolean finishing;
    /** initial-only: that batch is acknowledged and the source stopped for good. */
    private volatile boolean finished;
    /** The running snapshot, or null. */
    private volatile SnapshotRunner snapshot;
    /** The last snapshot's progress and outcome, for the endpoint; null before the first. */
    private volatile SnapshotStatus snapshotStatus;
    /** Told of each snapshot as it starts (meters). */
    private final List<java.util.function.Consumer<SnapshotStatus>> snapshotListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public BinlogChangeSource(BinlogSourceSettings settings) {
        this(settings, null);
    }

    /** @param initial where a previous run acknowledged up to (from a checkpoint store), or null to use the start */
    public BinlogChangeSource(BinlogSourceSettings settings, BinlogCheckpoint initial) {
        this(settings, initial, EventDecoder.STANDARD);
    }

    BinlogChangeSource(BinlogSourceSettings settings, BinlogCheckpoint initial, EventDecoder.Factory decoders) {
        this(settings, initial, decoders, null);
    }

    /**
     * A source that resumes from {@code store}'s checkpoint (when there is one and the policy lets it win over
     * the configured start) and saves there every transaction end the container acknowledges.
     *
     * @throws dev.canalboot.checkpoint.CheckpointException when the stored checkpoint cannot be read
     */
    public BinlogChangeSource(BinlogSourceSettings settings, CheckpointStore store, CheckpointPolicy policy) {
        this(settings, new CheckpointCommitter(settings.name(), store, policy, Clock.systemUTC()), EventDecoder.STANDARD);
    }

    private BinlogChangeSource(BinlogSourceSettings settings, CheckpointCommitter committer,
                               EventDecoder.Factory decoders) {
        this(settings, committer.resumePoint().orElse(null), decoders, committer);
    }

    private BinlogChangeSource(BinlogSourceSettings settings, BinlogCheckpoint initial, EventDecoder.Factory decoders,
                               CheckpointCommitter committer) {
        this.settings = settings;
        this.counters = new SourceCounters(() -> settings.connection().address());
        this.lifecycle = new SourceLifecycle("Source " + settings.name(), settings.reconnectPolicy());
        this.decoders = decoders;
        this.acknowledged = initial;
        this.delivered = initial;
        this.committer = committer;
        this.positionsServer = committer == null ? null : committer.server();
        this.snapshotDue = initial == null;
        if (initial != null) {
            log.info("Source {}: resuming from checkpoint {}", settings.name(), initial);
        }
    }

    @Override
    public String name() {
        return settings.name();
    }

    /**
     * Reads the checkpoint store again and resumes from what it holds at the next {@link #start()}, forgetting
     * what this source acknowledged in an earlier run: under high availability another instance may have read on
     * meanwhile. Only between runs; without a checkpoint store nothing changes.
     */
    public void reloadCheckpoint() {
        if (committer == null) {
            return;
        }
        SourceState current = lifecycle.state();
        if (current != SourceState.IDLE && current != SourceState.STOPPED && current != SourceState.FAILED) {
            throw new IllegalStateException("Source " + name() + " is " + current + "; reload its checkpoint between runs");
        }
        BinlogCheckpoint stored = committer.reload().orElse(null);
        synchronized (lock) {
            acknowledged = stored;
            delivered = stored;
            positionsServer = committer.server();
            snapshotDue = stored == null;
            restartAt = null;
        }
        log.info("Source {}: checkpoint reloaded, the next start resumes from {}", name(),
                stored == null ? settings.start() : stored);
    }

    /**
     * Connects and starts streaming: when it returns normally the start position is fixed (a latest start is
     * resolved), or the server could not be reached and the source retries in the background with the reconnect
     * back-off (state {@link SourceState#RECONNECTING}). Errors retrying cannot fix (login refused, a privilege
     * or a server setting missing) are thrown. After {@link #close()} or a failure this opens a fresh session that
     * resumes from the {@link #acknowledgedPosition()} (or the initial position when nothing was acknowledged).
     */
    @Override
    public void start() {
        if (lifecycle.beginStart(this::close, streamGroup, queryGroup)) {
            forgetPreviousRun();
        }
        finished = false;
        finishing = false;
        startingOver = false;
        doneBatchDue = false;
        if (initialOnlyHasNothingToDo()) {
            return;
        }
        streamGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("binlog-" + name(), true),
                NioIoHandler.newFactory());
        // Shape queries block their caller (the stream's event loop): they run on a loop of their own.
        queryGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("binlog-" + name() + "-query", true),
                NioIoHandler.newFactory());
        catalog = new ServerCatalog(settings.connection(), queryGroup,
                settings.connection().connectTimeout().plus(settings.readTimeout()));
        ReplicaSession first = newSession();
        SourceException reason;
        try {
            first.start().get(settings.connection().connectTimeout().multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
            startDueSnapshot();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = new SourceException("Source " + name() + ": interrupted while connecting", e, false);
        } catch (java.util.concurrent.TimeoutException e) {
            reason = new SourceException("Source " + name() + " (" + settings.connection().address()
                    + ") did not start streaming within " + settings.connection().connectTimeout().multipliedBy(3), e,
                    true);
        } catch (dev.canalboot.snapshot.SnapshotException e) {
            // A table the snapshot refuses (no usable key): a person must act, retrying changes nothing.
            reason = new SourceException("Source " + name() + ": " + e.getMessage(), e, false);
        } catch (Exception e) {
            reason = ReplicaSession.unwrap(e);
        }
        if (reason.isRetryable()) {
            // Not up yet, refusing, silent: retried in the background exactly as a connection lost later.
            synchronized (lock) {
                session = null;
            }
            first.close();
            onSessionFailed(reason);
            SourceException failed = lifecycle.lastError();
            if (failed == null) {
                return;
            }
            reason = failed;
        } else if (startOver(reason)) {
            return;
        } else {
            fail(reason);
        }
        close();
        throw reason;
    }

    /**
     * initial-only, started with a checkpoint that records no snapshot to resume (it says the snapshot is done, or
     * the source streamed before): the source reads nothing and stops at once.
     */
    private boolean initialOnlyHasNothingToDo() {
        BinlogCheckpoint from = acknowledged;
        if (snapshotSettings.mode() != SnapshotMode.INITIAL_ONLY || snapshotDue
                || (from != null && SnapshotProgress.decode(from.snapshot()) != null)) {
            return false;
        }
        if (from != null && SnapshotProgress.isDone(from.snapshot())) {
            log.info("Source {}: its checkpoint says the initial-only snapshot is complete (at {}); it reads nothing."
                    + " Delete the checkpoint to snapshot again, or set snapshot.mode to initial or never to stream on"
                    + " from there", name(), from);
        } else {
            log.warn("Source {}: snapshot.mode is initial-only but its checkpoint ({}) records no snapshot to do; it"
                    + " reads nothing. Delete the checkpoint to snapshot again, or set snapshot.mode to initial or never"
                    + " to stream on from there", name(), from);
        }
        finished = true;
        lifecycle.close();
        return true;
    }

    /**
     * when-needed, the binlog to resume from is purged: instead of failing, starts reading at the server's present
     * end and snapshots the tables again (a new snapshot, merged with the stream from there). Deliveries wait until
     * the snapshot runs, so every checkpoint from the new position on carries its progress.
     *
     * @return false when this is not that case (the caller fails the source)
     */
    private boolean startOver(SourceException reason) {
        if (snapshotSettings.mode() != SnapshotMode.WHEN_NEEDED || !ReadErrors.purged(reason) || startingOver) {
            return false;
        }
        SnapshotRunner running = snapshot;
        if (running != null) {
            snapshot = null;
            running.close();
        }
        synchronized (lock) {
            if (lifecycle.isOver()) {
                return false;
            }
            // Batches read before stay out (their positions precede the gap); a polled one may still be acknowledged.
            for (Queued q : queue) {
                marks.remove(q.id());
            }
            queue.clear();
            session = null;
            acknowledged = null;
            delivered = null;
            restartAt = new StartPosition.Latest();
            snapshotDue = true;
            startingOver = true;
        }
        log.warn("Source {}: {} -- snapshot.mode is when-needed: reading on from the server's present end and"
                + " snapshotting the tables again", name(), reason.getMessage());
        ReplicaSession s = newSession();
        s.start().whenComplete((ok, e) -> {
            if (e != null) {
                startingOver = false;
                synchronized (lock) {
                    if (s != session) {
                        return;
                    }
                }
                onSessionFailed(ReplicaSession.unwrap(e));
                return;
            }
            // Not on the stream's event loop: listing the tables takes a connection of its own.
            Thread starter = new Thread(() -> {
                try {
                    startDueSnapshot();
                } catch (RuntimeException failure) {
                    fail(new SourceException("Source " + name() + ": the snapshot after the purged binlog could not"
                            + " start: " + failure.getMessage(), failure, false));
                } finally {
                    startingOver = false;
                }
            }, "snapshot-" + name() + "-start");
            starter.setDaemon(true);
            starter.start();
        });
        return true;
    }

    /** After the previous run was closed and its event loops ended: forgets everything not acknowledged. */
    private void forgetPreviousRun() {
        synchronized (lock) {
            session = null;
            queue.clear();
            marks.clear();
            delivered = acknowledged;
        }
        log.info("Source {}: starting again from {}", name(),
                acknowledged == null ? settings.start() : acknowledged);
    }

    private ReplicaSession newSession() {
        BinlogCheckpoint from = delivered;
        StartPosition restart = restartAt;
        StartPosition position = from == null ? (restart != null ? restart : settings.start()) : from.resumePoint();
        // Each connection decodes with a history of its own, starting from the state at its start position.
        SchemaHistory history = new SchemaHistory(name(), catalog);
        history.reset(from == null ? null : from.schema());
        shapes = history;
        ReplicaSession s = new ReplicaSession(settings, streamGroup, position, from, decoders, history, listener,
                counters);
        synchronized (lock) {
            session = s;
        }
        return s;
    }

    private final ReplicaSession.Listener listener = new ReplicaSession.Listener() {
        @Override
        public void onServerIdentified(ReplicaSession s, ServerChangeCheck.ServerFacts server) {
            synchronized (lock) {
                if (s != session) {
                    return; // a connection being replaced: it reads nothing that counts
                }
            }
            BinlogCheckpoint from = s.resumeFrom();
            ServerIdentity recorded = positionsServer;
            if (from != null) {
                SourceException refused = ServerChangeCheck.check("Source " + name() + " ("
                        + settings.connection().address() + ")", from, recorded,
                        server, committer == null ? null : committer.location());
                if (refused != null) {
                    throw refused;
                }
                if (recorded == null) {
                    log.info("Source {}: the position {} records no server; it is taken to be {} and saved with the"
                            + " next checkpoint", name(), from, server.identity());
                } else if (!recorded.sameServer(server.identity())) {
                    log.warn("Source {}: the server changed from {} to {} ({}); resuming by GTID, which this server has"
                            + " all of (a failover within one replication topology)", name(), recorded,
                            server.identity(), settings.connection().address());
                }
            }
            positionsServer = server.identity();
            if (committer != null) {
                committer.server(server.identity());
            }
        }

        @Override
        public void onStartResolved(ReplicaSession s, BinlogCheckpoint start) {
            synchronized (lock) {
                if (s == session && delivered == null) {
                    delivered = start;
                    if (acknowledged == null) {
                        acknowledged = start;
                    }
                }
            }
            log.info("Source {}: replicating from {} at {} (server {}, connection {})", name(),
                    settings.connection().address(), start, s.server().version(), s.connectionId());
        }

        @Override
        public void onStreaming(ReplicaSession s) {
            synchronized (lock) {
                if (s == session && lifecycle.connected()) {
                    lifecycle.attemptSucceeded();
                }
            }
        }

        @Override
        public void onBatch(ReplicaSession s, ReadBatch batch, BinlogCheckpoint lastTransactionEnd) {
            synchronized (lock) {
                if (s != session) {
                    return; // a connection being replaced after rollback or loss
                }
                long id = nextBatchId++;
                marks.put(id, lastTransactionEnd);
                queue.add(new Queued(id, batch));
                delivered = lastTransactionEnd;
                counters.batchHandedOver();
                if (queue.size() >= settings.queueCapacity()) {
                    s.pauseReading();
                }
            }
        }

        @Override
        public boolean consumerWaiting() {
            return queue.isEmpty();
        }

        @Override
        public void onEnded(ReplicaSession s, SourceException reason) {
            synchronized (lock) {
                if (s != session || lifecycle.isClosed()) {
                    return;
                }
            }
            onSessionFailed(reason);
        }
    };

    private void onSessionFailed(SourceException reason) {
        if (startOver(reason)) {
            return;
        }
        if (!reason.isRetryable()) {
            fail(reason);
            return;
        }
        SourceLifecycle.Reconnect next;
        synchronized (lock) {
            next = lifecycle.reconnectAfterFailure();
            if (next == null) {
                return; // closed or failed meanwhile
            }
            session = null;
        }
        Duration wait = next.delay();
        if (wait == null) {
            fail(lifecycle.gaveUp(settings.connection().address(), reason));
            return;
        }
        BinlogCheckpoint from = delivered;
        log.warn("Source {}: {}; reconnecting in {} ({}) from {}", name(), reason.getMessage(), wait,
                next.describe(), from == null ? settings.start() : from);
        streamGroup.schedule(this::reconnect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconnect() {
        if (lifecycle.isOver()) {
            return;
        }
        counters.reconnecting();
        ReplicaSession s = newSession();
        s.start().whenComplete((ok, e) -> {
            if (e != null) {
                synchronized (lock) {
                    if (s != session) {
                        return;
                    }
                }
                onSessionFailed(ReplicaSession.unwrap(e));
            }
        });
    }

    private void fail(SourceException reason) {
        synchronized (lock) {
            if (!lifecycle.fail(reason)) {
                return;
            }
            if (session != null) {
                session.close();
                session = null;
            }
        }
        log.error("Source {} failed: {}", name(), reason.getMessage());
    }

    @Override
    public @Nullable ChangeBatch poll(Duration timeout) throws InterruptedException {
        if (finished || finishing || startingOver) {
            // initial-only: stopped, or nothing after the last batch; when-needed: the new snapshot is starting.
            if (!finished) {
                lifecycle.throwIfFailed();
            }
            Thread.sleep(Math.min(timeout.toMillis(), 50));
            return null;
        }
        lifecycle.checkOpen();
        if (committer != null) {
            durable(committer.saveIfDue()); // an interval-deferred position must not wait for the next batch
        }
        Queued queued = queue.poll();
        if (queued == null) {
            lifecycle.throwIfFailed();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                // While a snapshot runs, in slices: an idle stream's progress reaches the snapshot (a chunk waits for
                // it) within a slice, not after the whole timeout.
                boolean snapshotting = snapshot != null || doneBatchDue;
                queued = queue.poll(snapshotting ? Math.min(left, IDLE_SLICE_NANOS) : Math.max(left, 0),
                        TimeUnit.NANOSECONDS);
                if (queued != null || left <= 0 || !snapshotting) {
                    break;
                }
                ChangeBatch idle = idleSnapshotChunk();
                if (idle != null) {
                    resumeReadingIfRoom();
                    return idle;
                }
            }
        }
        resumeReadingIfRoom();
        if (queued == null) {
            lifecycle.throwIfFailed();
            return idleSnapshotChunk();
        }
        ChangeBatch batch = decode(queued);
        SnapshotRunner running = snapshot;
        if (running == null) {
            return batch;
        }
        BinlogCheckpoint mark = marks.get(queued.id());
        SnapshotMerger merger = running.merger();
        List<ChangeEvent> events = merger.merge(batch.events(),
                mark == null || mark.file() == null ? null : new BinlogPoint(mark.file(), mark.position()),
                mark == null ? null : mark.gtidSet());
        attachProgress(queued.id(), merger);
        return events == batch.events() ? batch : new ChangeBatch(batch.id(), events);
    }

    /**
     * How often an idle poll looks for a read chunk while a snapshot runs. Every chunk of a snapshot of a quiet
     * table waits for one such look, so this bounds the snapshot's speed on an idle server (at 20 ms, 1,000-row
     * chunks ran at about 42,000 rows/s); a look costs a few microseconds.
     */
    private static final long IDLE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private void resumeReadingIfRoom() {
        // Under the lock that also guards enqueue-and-pause, so a pause cannot slip in after this check.
        synchronized (lock) {
            if (session != null && session.paused() && queue.size() < settings.queueCapacity()) {
                session.resumeReading();
            }
        }
    }

    /**
     * The batch's position saves the snapshot's progress as of its last row; initial-only: the first batch after
     * the last chunk says the snapshot is done, and is the last one handed out.
     */
    private void attachProgress(long id, SnapshotMerger merger) {
        SnapshotProgress progress = merger.progressForBatch();
        String text = progress != null ? progress.encode() : doneMarker();
        marks.computeIfPresent(id, (k, m) -> m.withSnapshot(text));
    }

    /** initial-only: {@link SnapshotProgress#DONE}, and nothing is handed out after this batch; else null. */
    private @Nullable String doneMarker() {
        if (snapshotSettings.mode() != SnapshotMode.INITIAL_ONLY) {
            return null;
        }
        finishing = true;
        return SnapshotProgress.DONE;
    }

    /** initial-only: the batch saying the snapshot is done is acknowledged; stops the source for good. */
    private void finish(BinlogCheckpoint at) {
        SnapshotRunner running = snapshot;
        if (running != null) {
            try {
                running.awaitEnd(Duration.ofSeconds(5)); // it ends right after its last chunk: let it say DONE
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("Source {}: the initial-only snapshot is delivered and acknowledged at {}; the source stops",
                name(), at);
        finished = true;
        close();
    }

    /**
     * Nothing queued: when the stream has handed on everything up to the point a read chunk waits for (an idle
     * server), the chunk is delivered as a batch of its own at the last delivered position.
     */
    private @Nullable ChangeBatch idleSnapshotChunk() {
        if (doneBatchDue) {
            return doneBatch();
        }
        SnapshotRunner running = snapshot;
        if (running == null) {
            return null;
        }
        SnapshotMerger merger = running.merger();
        List<RowChange> rows;
        long id;
        // One critical section: a batch the stream queues meanwhile must get a later id than this one (an ack
        // clears the marks up to the id it acknowledges).
        synchronized (lock) {
            BinlogCheckpoint drained = session == null ? null : session.drainedThrough();
            BinlogCheckpoint at = delivered;
            if (drained == null || drained.file() == null || !queue.isEmpty() || at == null) {
                return null;
            }
            // The stream has passed the drained point even with no chunk waiting: the reader may wait for that.
            rows = merger.idle(new BinlogPoint(drained.file(), drained.position()), at.gtidSet());
            if (!merger.unattached()) {
                return null; // no chunk delivered and no progress (a table skipped) to save
            }
            id = nextBatchId++;
            marks.put(id, at);
        }
        attachProgress(id, merger);
        return new ChangeBatch(id, List.copyOf(rows));
    }

    /** initial-only without a table to read: an empty batch at the delivered position says the snapshot is done. */
    private @Nullable ChangeBatch doneBatch() {
        long id;
        synchronized (lock) {
            BinlogCheckpoint at = delivered;
            if (at == null || !queue.isEmpty()) {
                return null;
            }
            id = nextBatchId++;
            marks.put(id, at.withSnapshot(SnapshotProgress.DONE));
        }
        doneBatchDue = false;
        finishing = true;
        return new ChangeBatch(id, List.of());
    }

    /**
     * Resumes the snapshot the checkpoint records as running, or starts a new one when it is due; nothing when one
     * runs already (start and a when-needed start-over may both get here).
     */
    private synchronized void startDueSnapshot() {
        if (snapshot != null) {
            return;
        }
        BinlogCheckpoint from = acknowledged;
        SnapshotProgress resume = from == null ? null : SnapshotProgress.decode(from.snapshot());
        if (resume != null) {
            log.info("Source {}: resuming the snapshot the checkpoint records: {}", name(), resume);
            runSnapshot(resume);
        } else if (snapshotDue && snapshotSettings.mode() != SnapshotMode.NEVER) {
            List<String> patterns = snapshotPatterns();
            List<String> tables = patterns.isEmpty() ? List.of()
                    : SnapshotRunner.resolveTables(settings.connection(), settings.readTimeout(), snapshotSettings,
                    patterns);
            if (tables.isEmpty()) {
                log.warn("Source {}: snapshot mode {} but no existing table matches {} {}", name(),
                        snapshotSettings.mode(), snapshotSettings.tables().isEmpty() ? "the listeners' patterns"
                                : "snapshot.tables", patterns);
                doneBatchDue = snapshotSettings.mode() == SnapshotMode.INITIAL_ONLY;
                return;
            }
            log.info("Source {}: snapshot ({}) of {}", name(), snapshotSettings.mode(), tables);
            runSnapshot(new SnapshotProgress(tables, null, 0));
        }
    }

    /** {@code snapshot.tables}, or when empty the table patterns of the source's listeners. */
    private List<String> snapshotPatterns() {
        return snapshotSettings.tables().isEmpty() ? listenedTables.get() : snapshotSettings.tables();
    }

    /**
     * The table patterns of the source's listeners, asked for when a snapshot starts: what it reads when
     * {@code snapshot.tables} is empty. Set before {@link #start()} (the auto-configuration binds it).
     */
    public void listenedTables(Supplier<List<String>> patterns) {
        this.listenedTables = java.util.Objects.requireNonNull(patterns, "patterns");
    }

    /**
     * Reads the existing rows of the tables {@code tables} matches (patterns as in {@code @CanalListener}) while
     * the stream goes on, merged into it as {@link dev.canalboot.model.ChangeType#SNAPSHOT} rows; its progress is
     * saved with the checkpoints, so a restart resumes it. Returns the tables it will read.
     *
     * @param tables table patterns; null: the source's {@code snapshot.tables}, or when empty its listeners' patterns
     * @throws dev.canalboot.snapshot.SnapshotException when a table has no key to chunk by
     *
     * @throws IllegalStateException when a snapshot already runs or the source is not streaming
     */
    public synchronized List<String> snapshot(List<String> tables) {
        SourceState state = lifecycle.state();
        if (state != SourceState.CONNECTED && state != SourceState.RECONNECTING && state != SourceState.CONNECTING) {
            throw new IllegalStateException("Source " + name() + " is " + state + "; start it before a snapshot");
        }
        if (snapshot != null) {
            throw new IllegalStateException("Source " + name() + " runs a snapshot already ("
                    + snapshot.merger().progress() + "); wait until it is done");
        }
        List<String> patterns = tables != null ? tables : snapshotPatterns();
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("Source " + name() + ": name the tables to snapshot (its"
                    + " snapshot.tables is empty and no listener names a table)");
        }
        List<String> resolved = SnapshotRunner.resolveTables(settings.connection(), settings.readTimeout(),
                snapshotSettings, patterns);
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException("Source " + name() + ": no existing table matches " + patterns);
        }
        runSnapshot(new SnapshotProgress(resolved, null, 0));
        return resolved;
    }

    private synchronized void runSnapshot(SnapshotProgress from) {
        SnapshotRunner[] self = new SnapshotRunner[1];
        SnapshotRunner runner = new SnapshotRunner(name(), settings.connection(), settings.readTimeout(),
                settings.zeroDates(), snapshotSettings, from, error -> {
            if (error != null) {
                fail(new SourceException("Source " + name() + ": snapshot failed: " + error.getMessage(), error, false));
            }
            snapshotEnded(self[0]);
        });
        self[0] = runner;
        snapshot = runner;
        snapshotStatus = runner.status();
        snapshotListeners.forEach(l -> l.accept(runner.status()));
        runner.start();
    }

    /** {@code listener} is told of every snapshot this source starts (or resumes), before it reads anything. */
    public void onSnapshotStart(java.util.function.Consumer<SnapshotStatus> listener) {
        snapshotListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The runner ended. Its last chunk was merged into a polled batch before (the runner waits for that), and
     * that batch's position carries the final progress (null when done): later batches need none.
     */
    private void snapshotEnded(SnapshotRunner runner) {
        synchronized (this) {
            if (snapshot == runner) {
                snapshot = null;
            }
        }
    }

    /** The running or last snapshot's progress, or null when none ran in this process. */
    public SnapshotStatus snapshotStatus() {
        return snapshotStatus;
    }

    /** What this source snapshots and when; set before {@link #start()}. */
    public void snapshots(SnapshotSettings snapshotSettings) {
        this.snapshotSettings = java.util.Objects.requireNonNull(snapshotSettings, "snapshotSettings");
    }

    /**
     * The batch with the row images the connection's thread left undecoded decoded here, on the consumer's
     * thread. An image that does not decode fails the source as it would have on the connection's thread:
     * nothing of this batch or after it is delivered, and reading resumes from the last acknowledged position.
     */
    private ChangeBatch decode(Queued queued) {
        try {
            return new ChangeBatch(queued.id(), queued.batch().decode());
        } catch (BinlogDecodeException e) {
            var previous = marks.lowerEntry(queued.id());
            SourceException reason = ReplicationErrors.undecodable("Source " + name() + " ("
                    + settings.connection().address() + ")", previous != null ? previous.getValue() : acknowledged, e);
            fail(reason);
            synchronized (lock) {
                queue.clear(); // the session is gone (fail): nothing read after the bad images can be queued now
            }
            throw reason;
        }
    }

    /** A batch as read, with the id it is known by. */
    private record Queued(long id, ReadBatch batch) {
    }

    @Override
    public void ack(ChangeBatch batch) {
        BinlogCheckpoint mark = marks.get(batch.id());
        if (mark == null) {
            throw new IllegalArgumentException("Source " + name() + ": batch " + batch.id()
                    + " is not outstanding (already acknowledged, rolled back, or not from this source)");
        }
        acknowledged = mark;
        snapshotDue = false; // from now on the checkpoint says whether a snapshot runs
        marks.headMap(batch.id(), true).clear();
        durable(committer == null ? mark : committer.acknowledged(mark));
        if (SnapshotProgress.isDone(mark.snapshot())) {
            finish(mark);
        }
    }

    /** Semi-sync: the server's waiting commits are released only once the position is durable here. */
    private void durable(BinlogCheckpoint durable) {
        if (durable != null && settings.semiSync()) {
            ReplicaSession s;
            synchronized (lock) {
                s = session;
            }
            if (s != null) {
                s.acknowledge(durable);
            }
        }
    }

    /** Drops everything read after the last acknowledged transaction end and reads it again on a new connection. */
    @Override
    public void rollback(ChangeBatch batch) {
        ReplicaSession old;
        synchronized (lock) {
            if (!lifecycle.reconnectingNow()) {
                return;
            }
            old = session;
            session = null;
            queue.clear();
            marks.clear();
            delivered = acknowledged;
        }
        log.info("Source {}: batch {} rolled back; reading again from {}", name(), batch.id(), acknowledged);
        if (old != null) {
            old.close();
        }
        SnapshotRunner running = snapshot;
        if (running != null) {
            // Chunks delivered after the acknowledged position are read again from the progress saved with it.
            snapshot = null;
            running.close();
        }
        boolean wasFinishing = finishing;
        finishing = false;
        reconnect();
        if (running != null || wasFinishing) {
            startDueSnapshot();
        }
    }

    /** Saves the last acknowledged position if the commit interval deferred it, then releases the connection. */
    @Override
    public void close() {
        try {
            if (committer != null) {
                committer.flush();
            }
        } finally {
            release();
        }
    }

    private void release() {
        SnapshotRunner running = snapshot;
        if (running != null) {
            snapshot = null;
            running.close();
        }
        ReplicaSession s;
        synchronized (lock) {
            lifecycle.close();
            s = session;
            session = null;
        }
        if (s != null) {
            s.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (streamGroup != null) {
            streamGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        if (queryGroup != null) {
            queryGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    @Override
    public SourceState state() {
        return lifecycle.state();
    }

    /** initial-only: the snapshot is delivered and acknowledged (or the checkpoint said so at start): it stopped. */
    @Override
    public boolean finished() {
        return finished;
    }

    /** The last transaction end every listener has returned for: where a restart resumes. */
    public @Nullable BinlogCheckpoint acknowledgedPosition() {
        return acknowledged;
    }

    /** The error the source failed with, or null. */
    @Override
    public @Nullable SourceException lastError() {
        return lifecycle.lastError();
    }

    /** Its counters; the heartbeat is the server's binlog heartbeat. */
    @Override
    public SourceCounters statistics() {
        return counters;
    }

    public @Nullable TableShapeResolver tableShapes() {
        return shapes;
    }

    public BinlogSourceSettings settings() {
        return settings;
    }

    /**
     * {@code schema.table} of every table the server has outside its system schemas, read now on a connection of
     * its own (for start-up checks of listener table patterns).
     */
    public java.util.List<String> existingTables() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("binlog-" + name() + "-tables", true), NioIoHandler.newFactory());
        try (MySqlConnection c = MySqlConnection.open(group, settings.connection())) {
            ResultSet rs = c.execute("SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema')",
                    settings.readTimeout());
            java.util.List<String> tables = new java.util.ArrayList<>(rs.rows().size());
            for (int i = 0; i < rs.rows().size(); i++) {
                tables.add(rs.get(i, "s") + "." + rs.get(i, "t"));
            }
            return tables;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** The server's id of the current replication connection (what {@code KILL} takes), or -1. */
    public long connectionId() {
        ReplicaSession s;
        synchronized (lock) {
            s = session;
        }
        return s == null ? -1 : s.connectionId();
    }
}
