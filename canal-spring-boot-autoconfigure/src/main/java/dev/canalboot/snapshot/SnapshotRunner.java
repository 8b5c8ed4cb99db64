package dev.canalboot.snapshot;

import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.model.ZeroDatePolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one snapshot of a binlog source on a thread of its own: table after table, chunk after chunk by key,
 * each chunk handed to the {@link SnapshotMerger} and delivered through the stream before the next is read.
 * Logs a line per table start and end and about every 10 seconds while a table runs.
 */
public final class SnapshotRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotRunner.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * MySQL without GTIDs: a chunk's row is dropped when the stream changed its key up to this long before the chunk
     * opened, so a transaction already delivered but not yet committed in InnoDB when the chunk's read view began
     * (the binlog is written before the engine commits) is not undone by the chunk. No GTIDs, no way to wait for
     * that commit; a commit that lags the binlog by longer than this is what is left of the gap.
     */
    static final Duration NO_GTID_LOOK_BACK = Duration.ofSeconds(1);

    private final String source;
    private final ConnectionSettings connection;
    private final Duration timeout;
    private final ZeroDatePolicy zeroDates;
    private final SnapshotSettings settings;
    private final SnapshotMerger merger;
    private final SnapshotStatus status;
    private final Consumer<Throwable> onEnd;
    private final Thread thread;
    private volatile boolean stopping;
    /** Time this thread waited for its chunks to be delivered (for the debug line at a table's end). */
    private long deliverNanos;

    /**
     * @param start where to begin (a fresh progress naming the tables, or the one a checkpoint saved)
     * @param onEnd called once on the snapshot's thread when it ended: with null when every table is delivered,
     *              else with the error (not called when {@linkplain #close stopped})
     */
    public SnapshotRunner(String source, ConnectionSettings connection, Duration timeout, ZeroDatePolicy zeroDates,
                          SnapshotSettings settings, SnapshotProgress start, Consumer<Throwable> onEnd) {
        this.source = source;
        this.connection = connection;
        this.timeout = timeout;
        this.zeroDates = zeroDates;
        this.settings = settings;
        this.merger = new SnapshotMerger(source, start);
        this.status = new SnapshotStatus(start.tables());
        // DONE as the batch that completes the snapshot is handed out, not when this thread gets to it afterwards:
        // a consumer that sees DONE after a poll knows that batch (or an earlier one) carried the last rows.
        merger.onComplete(() -> status.ended(null));
        this.onEnd = onEnd;
        this.thread = new Thread(this::run, "snapshot-" + source);
        this.thread.setDaemon(true);
    }

    public SnapshotMerger merger() {
        return merger;
    }

    public SnapshotStatus status() {
        return status;
    }

    public void start() {
        thread.start();
    }

    /**
     * The {@code schema.table} names of the existing tables one of {@code patterns} matches (as in
     * {@code @CanalListener}), in name order, read on a connection of its own.
     *
     * @throws SnapshotException when one of them has no key to chunk by
     */
    public static List<String> resolveTables(ConnectionSettings connection, Duration timeout, SnapshotSettings settings,
                                             List<String> patterns) {
        List<dev.canalboot.listener.container.TablePattern> parsed = patterns.stream()
                .map(dev.canalboot.listener.container.TablePattern::parse).toList();
        EventLoopGroup group = group("snapshot-tables");
        try (MySqlConnection c = MySqlConnection.open(group, connection);
             ChunkReader reader = new ChunkReader(c, timeout, ZeroDatePolicy.NULL)) {
            List<String> tables = new ArrayList<>();
            for (String[] t : reader.tables()) {
                if (parsed.stream().anyMatch(p -> p.matches(t[0], t[1]))) {
                    // Refused tables (no usable key) fail here, before anything is read.
                    reader.shape(t[0], t[1], settings.keyColumns().get(t[0] + "." + t[1]));
                    tables.add(t[0] + "." + t[1]);
                }
            }
            return tables;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static EventLoopGroup group(String name) {
        return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    }

    private void run() {
        EventLoopGroup group = group("snapshot-" + source + "-io");
        Throwable failure = null;
        try (MySqlConnection c = MySqlConnection.open(group, connection);
             ChunkReader reader = new ChunkReader(c, timeout, zeroDates)) {
            if (reader.watermarksWithoutGtids()) {
                merger.lookBack(NO_GTID_LOOK_BACK);
                log.warn("Source {}: snapshot on MySQL with gtid_mode OFF: a chunk can miss a transaction that the"
                        + " stream delivered more than {} ms before the chunk opened and that InnoDB had still not"
                        + " committed when the chunk's SELECT began (README, Snapshots); turn GTIDs on to close that gap",
                        source, NO_GTID_LOOK_BACK.toMillis());
            }
            SnapshotProgress progress = merger.progress();
            while (progress != null && !stopping) {
                progress = table(reader, progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (stopping) {
            return;
        }
        status.ended(failure);
        if (failure != null) {
            log.error("Source {}: snapshot failed: {}", source, failure.getMessage());
        } else {
            log.info("Source {}: snapshot done: {} rows delivered, {} dropped (their key changed in the stream meanwhile)",
                    source, merger.emittedRows(), merger.droppedRows());
        }
        onEnd.accept(failure);
    }

    /** Reads the progress's first table from where it stands; returns the progress once it is delivered. */
    private SnapshotProgress table(ChunkReader reader, SnapshotProgress progress) throws InterruptedException {
        String name = progress.currentTable();
        int dot = name.indexOf('.');
        String schema = name.substring(0, dot);
        String table = name.substring(dot + 1);
        List<String> userKey = settings.keyColumns().get(name);
        SnapshotTable shape = reader.shape(schema, table, userKey);
        long estimate = shape == null ? 0 : reader.estimatedRows(schema, table);
        SnapshotStatus.Table stats = status.start(name, estimate, progress.rowsDone());
        if (shape == null) {
            log.warn("Source {}: snapshot of {} skipped: the table does not exist (any more)", source, name);
            SnapshotProgress next = progress.nextTable();
            merger.skip(next);
            merger.awaitAttached();
            stats.end(0);
            return next;
        }
        log.info("Source {}: snapshot of {} {} (about {} rows, by key {}, chunks of {})", source, name,
                progress.lastKey() == null ? "starts" : "resumes after key " + progress.lastKey(), estimate,
                shape.key.length == 1 ? shape.tableSchema.column(shape.key[0]).name() : keyNames(shape),
                settings.chunkSize());
        long lastLog = System.nanoTime();
        int retries = 0;
        while (!stopping) {
            merger.open(shape);
            ChunkReader.Chunk chunk = reader.read(shape, progress.lastKey(), settings.chunkSize(), merger::awaitPassed);
            boolean last = chunk != null && chunk.rows().size() < settings.chunkSize();
            SnapshotProgress next = chunk == null ? null
                    : last ? progress.nextTable() : progress.after(chunk.lastKey(), chunk.rows().size());
            if (chunk == null) {
                merger.abandon();
            } else {
                merger.close(chunk.rows(), chunk.high(), next);
            }
            long waitStart = System.nanoTime();
            boolean delivered = chunk != null && merger.awaitDelivered();
            deliverNanos += System.nanoTime() - waitStart;
            if (!delivered) {
                // Dropped, or altered: before the SELECT (it showed other columns) or in the stream before delivery.
                SnapshotTable again = reader.shape(schema, table, userKey);
                if (again == null) {
                    log.warn("Source {}: snapshot of {} ended early: the table was dropped during its snapshot;"
                            + " {} rows were delivered", source, name, progress.rowsDone());
                    SnapshotProgress after = progress.nextTable();
                    merger.skip(after);
                    merger.awaitAttached();
                    stats.end(progress.rowsDone());
                    return after;
                }
                if (++retries > 10) {
                    throw new SnapshotException("Snapshot of " + name + ": the table was altered (or a DDL naming it"
                            + " came through the stream) during each of 10 reads of a chunk in a row; run the snapshot"
                            + " again when the table's DDL is done");
                }
                log.info("Source {}: snapshot of {}: the table was altered; reading the chunk again in its shape now:"
                        + " {}", source, name, again.names());
                shape = again;
                continue;
            }
            retries = 0;
            stats.chunk(chunk.rows().size());
            long rowsDone = progress.rowsDone() + chunk.rows().size();
            if (last) {
                stats.end(rowsDone);
                log.info("Source {}: snapshot of {} done: {} rows in {}", source, name, rowsDone, stats.elapsed());
                log.debug("Source {}: snapshot of {}: ms in watermarks {}, SELECTs (rows typed as they arrive) {},"
                        + " high point and column checks after them {}, waiting for delivery {}; snapshot thread CPU"
                        + " {} ms", source, name, reader.watermarkNanos / 1_000_000, reader.selectNanos / 1_000_000,
                        reader.checkNanos / 1_000_000, deliverNanos / 1_000_000,
                        java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000);
                return next;
            }
            progress = next;
            if (System.nanoTime() - lastLog > LOG_EVERY_NANOS) {
                lastLog = System.nanoTime();
                log.info("Source {}: snapshot of {}: {} of about {} rows, {} rows/s", source, name, rowsDone,
                        estimate, Math.round(stats.rate()));
            }
        }
        return progress;
    }

    private static List<String> keyNames(SnapshotTable shape) {
        List<String> names = new ArrayList<>();
        for (int k : shape.key) {
            names.add(shape.tableSchema.column(k).name());
        }
        return names;
    }

    /** Waits up to {@code timeout} for the snapshot's thread to end on its own (after its last chunk). */
    public void awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
    }

        /** Stops the snapshot's thread (the progress delivered so far stays in the checkpoints). */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
