package dev.canalboot.snapshot;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.model.SourcePosition;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Merges a snapshot's chunks into the stream its source delivers (the watermark merge; the README's Snapshots
 * section gives the argument). One chunk at a time:
 * <ol>
 * <li>{@link #open}: from now on every key of the table that a delivered stream change touches (before and after
 * image) is recorded;</li>
 * <li>the reader reads the chunk and the binlog point from which its rows hold ({@link #close});</li>
 * <li>once the stream has passed that point, the chunk's rows whose key was not recorded are delivered, after
 * the stream changes before them and before any later one; the rest are dropped: the stream delivered their
 * newer state.</li>
 * </ol>
 * The stream side ({@link #merge}, {@link #idle}) runs on the consumer's thread in the source's {@code poll}; the
 * reader side on the snapshot's thread. Holds one chunk of rows at most.
 * <p>
 * With a {@linkplain #lookBack look-back} (MySQL without GTIDs, where a chunk cannot wait for the engine to commit
 * what the binlog already holds), the table's keys are recorded between chunks too, and a key the stream changed
 * up to the look-back before a chunk opened drops its row like one changed after: such a change may be missing
 * from the chunk's read view while the stream already delivered it.
 */
public final class SnapshotMerger {

    private record Ready(SnapshotTable table, List<Row> rows, BinlogPoint high, SnapshotProgress after) {
    }

    private final String source;
    private SnapshotTable open;
    /** When the open chunk opened ({@link System#nanoTime}). */
    private long openedAt;
    /** The table whose keys are recorded between chunks (with a look-back); null when none. */
    private SnapshotTable recording;
    private long lookBackNanos;
    /** Key → when the stream last changed it ({@link System#nanoTime}); oldest first. */
    private final LinkedHashMap<List<Object>, Long> changed = new LinkedHashMap<>();
    private Ready ready;
    /**
     * The shape whose chunks are read: from its first chunk's opening on, a DDL of its table in the stream (between
     * chunks too) means its chunks may have another shape. Null when none.
     */
    private SnapshotTable watched;
    /** The stream delivered a DDL of {@link #watched}'s table since its first chunk opened. */
    private boolean altered;
    /** Whether the last chunk closed was discarded for a DDL instead of delivered. */
    private boolean discarded;
    private BinlogPoint passed;
    private GtidSet passedGtids;
    /** The progress as of the chunks delivered so far; null when the snapshot is done. */
    private SnapshotProgress progress;
    private long emittedChunks;
    private long emittedRows;
    private long droppedRows;
    /** Counts changes of {@link #progress}; {@code attached}: the last one handed to a batch's position. */
    private long version;
    private long attached;
    /** Run once when the progress that says the snapshot is done is first handed to a batch. */
    private Runnable onComplete;

    public SnapshotMerger(String source, SnapshotProgress start) {
        this.source = source;
        this.progress = start;
    }

    /** The progress as of the chunks delivered so far; null when the snapshot is done. */
    public synchronized SnapshotProgress progress() {
        return progress;
    }

    /** The progress to save with the stream position of the batch just merged (or made for it). */
    public synchronized SnapshotProgress progressForBatch() {
        attached = version;
        notifyAll();
        if (progress == null && onComplete != null) {
            // The batch being handed out completes the snapshot: its checkpoint will say so.
            Runnable complete = onComplete;
            onComplete = null;
            complete.run();
        }
        return progress;
    }

    /** Whether the progress changed since it was last handed to a batch: an idle stream makes a batch for it. */
    public synchronized boolean unattached() {
        return version != attached;
    }

    /**
     * A polled batch of stream events that ends with the stream at {@code end} (its last transaction end, with
     * the GTIDs executed there or null): records the keys it changes and appends the chunk waiting for that
     * point. Returns {@code events} itself when nothing was appended.
     */
    public synchronized List<ChangeEvent> merge(List<ChangeEvent> events, BinlogPoint end, GtidSet gtids) {
        SnapshotTable table = open != null ? open : recording;
        if (table != null || watched != null) {
            long now = System.nanoTime();
            for (ChangeEvent e : events) {
                if (table != null && e instanceof RowChange r && table.schema.equals(r.schema())
                        && table.table.equals(r.table())) {
                    record(r.before(), table, now);
                    record(r.after(), table, now);
                } else if (watched != null && e instanceof SchemaChange ddl && touches(ddl, watched)) {
                    altered = true;
                }
            }
            if (table != null) {
                forgetBefore((open != null ? openedAt : now) - lookBackNanos);
            }
        }
        if (end != null) {
            passed(end, gtids);
        }
        List<RowChange> rows = emitIfPassed();
        if (rows.isEmpty()) {
            return events;
        }
        List<ChangeEvent> merged = new ArrayList<>(events.size() + rows.size());
        merged.addAll(events);
        merged.addAll(rows);
        return merged;
    }

    /**
     * The stream has nothing queued and has read everything before {@code drainedThrough}: the chunk waiting
     * for a point up to there is delivered now (empty when there is none). {@code gtids}: those executed at the
     * last transaction end delivered (null when not tracked).
     */
    public synchronized List<RowChange> idle(BinlogPoint drainedThrough, GtidSet gtids) {
        if (drainedThrough != null) {
            passed(drainedThrough, passedGtids != null ? passedGtids : gtids);
        }
        return emitIfPassed();
    }

    /** Whether a chunk waits for the stream. */
    public synchronized boolean waiting() {
        return ready != null;
    }

    private void passed(BinlogPoint point, GtidSet gtids) {
        if (passed == null || point.compareTo(passed) >= 0) {
            passed = point;
            if (gtids != null) {
                passedGtids = gtids;
            }
            notifyAll();
        }
    }

    private void record(Row image, SnapshotTable table, long now) {
        if (image != null) {
            List<Object> key = keyOf(image, table);
            if (key != null) {
                changed.remove(key); // re-inserted last: the map stays ordered by the time of the last change
                changed.put(key, now);
            }
        }
    }

    /** Drops the keys last changed before {@code nanos}: no chunk opened or opening can need them. */
    private void forgetBefore(long nanos) {
        for (Iterator<Map.Entry<List<Object>, Long>> it = changed.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() - nanos >= 0) {
                return;
            }
            it.remove();
        }
    }

    /** No shape is read any more: DDLs in the stream no longer concern a chunk. */
    private void unwatch() {
        watched = null;
        altered = false;
    }

    /** The chunk is over: without a look-back nothing recorded so far matters any more. */
    private void chunkEnded() {
        open = null;
        if (lookBackNanos == 0) {
            changed.clear();
        }
    }

    /** The image's values of the table's key columns (by name: the stream's shape may order them otherwise). */
    private static @Nullable List<Object> keyOf(Row image, SnapshotTable table) {
        List<Object> key = new ArrayList<>(table.key.length);
        for (int k : table.key) {
            String name = table.tableSchema.column(k).name();
            if (!image.has(name)) {
                return null;
            }
            Object v = image.get(name);
            key.add(v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
        }
        return key;
    }

    /**
     * Whether a DDL may have changed the table: it names the table (before or after it), or names no table (a
     * statement the history did not place) in the table's schema or without one.
     */
    private static boolean touches(SchemaChange ddl, SnapshotTable table) {
        if (ddl.table() == null) {
            return ddl.schema() == null || ddl.schema().equalsIgnoreCase(table.schema)
                    || ddl.sql().toLowerCase(java.util.Locale.ROOT).contains(table.table.toLowerCase(java.util.Locale.ROOT));
        }
        return ddl.table().equalsIgnoreCase(table.table) || names(ddl.before(), table) || names(ddl.after(), table);
    }

    private static boolean names(TableDefinition definition, SnapshotTable table) {
        return definition != null && definition.table().equalsIgnoreCase(table.table)
                && definition.schema().equalsIgnoreCase(table.schema);
    }

    private List<RowChange> emitIfPassed() {
        if (ready != null && altered) {
            // A DDL of the table came through the stream since the shape's first chunk opened, and before this
            // chunk's delivery: rows read before it would come after it in the old shape. The reader reads the
            // shape and the chunk again.
            ready = null;
            chunkEnded();
            unwatch();
            discarded = true;
            notifyAll();
            return List.of();
        }
        if (ready == null || passed == null || passed.compareTo(ready.high) < 0) {
            return List.of();
        }
        Ready r = ready;
        List<RowChange> rows = new ArrayList<>(r.rows.size());
        SourcePosition at = new SourcePosition(r.high.file(), r.high.position(), null);
        Instant now = Instant.now();
        long windowStart = openedAt - lookBackNanos;
        for (Row row : r.rows) {
            Long changedAt = changed.isEmpty() ? null : changed.get(keyOf(row, r.table));
            if (changedAt != null && changedAt - windowStart >= 0) {
                droppedRows++;
                continue;
            }
            rows.add(new RowChange(source, r.table.tableSchema, ChangeType.SNAPSHOT, null, row, at, now));
        }
        emittedRows += rows.size();
        emittedChunks++;
        progress = r.after;
        if (progress == null || !progress.currentTable().equals(r.table.qualifiedName())) {
            recording = null; // the table is done
            changed.clear();
            unwatch();
        }
        version++;
        ready = null;
        chunkEnded();
        notifyAll();
        return rows;
    }

    // ---- the snapshot's thread

    /**
     * From now on a chunk's row is also dropped when the stream changed its key up to {@code lookBack} before the
     * chunk opened; the table's keys are recorded between chunks for that. Zero (the default): only changes after
     * the chunk opened count, which is exact where the reader waits for the engine's commits.
     */
    synchronized void lookBack(Duration lookBack) {
        lookBackNanos = lookBack.toNanos();
    }

    /**
     * {@code action} runs once, on the stream's thread, when the batch whose position says the snapshot is done
     * (the one carrying its last chunk, or made for a last table skipped) is handed out, before that batch is.
     */
    synchronized void onComplete(Runnable action) {
        onComplete = action;
    }

    /**
     * Starts recording the table's changed keys: before the chunk's position is read and its rows selected. The
     * first chunk of a shape (another {@link SnapshotTable} than the last one opened) also starts watching the stream
     * for DDLs of the table, until the table is done or a chunk is discarded or abandoned; a DDL seen meanwhile, also
     * between chunks, discards the next chunk that becomes ready.
     */
    synchronized void open(SnapshotTable table) {
        if (open != null || ready != null) {
            throw new IllegalStateException("a chunk of " + (open != null ? open : ready.table).qualifiedName()
                    + " is still in flight");
        }
        if (recording == null || !recording.qualifiedName().equals(table.qualifiedName())) {
            changed.clear(); // keys of another table
        }
        open = table;
        recording = lookBackNanos > 0 ? table : null;
        openedAt = System.nanoTime();
        if (watched != table) {
            watched = table;
            altered = false;
        }
        if (lookBackNanos == 0) {
            changed.clear();
        }
    }

    /** The chunk is read: its rows hold from {@code high} on; {@code after} is the progress once they are delivered. */
    synchronized void close(List<Row> rows, BinlogPoint high, SnapshotProgress after) {
        ready = new Ready(open, rows, high, after);
        discarded = false;
    }

    /** The reader gives up the open chunk (table dropped or altered meanwhile): nothing of it is delivered. */
    synchronized void abandon() {
        ready = null;
        chunkEnded();
        unwatch();
        notifyAll();
    }

    /** A table with nothing (more) to read: the progress moves on as if a chunk had been delivered. */
    synchronized void skip(SnapshotProgress after) {
        unwatch();
        progress = after;
        version++;
    }

    /** Waits until the progress is handed to a batch's position, so the checkpoint saves it. */
    synchronized void awaitAttached() throws InterruptedException {
        while (version != attached) {
            wait(1000);
        }
    }

    /** Waits until the closed chunk is delivered (true) or discarded for a DDL of its table (false). */
    synchronized boolean awaitDelivered() throws InterruptedException {
        while (ready != null) {
            wait(1000);
        }
        return !discarded;
    }

    /** Waits until the stream passed {@code point}; the GTIDs executed there, or null when not tracked. */
    synchronized GtidSet awaitPassed(BinlogPoint point) throws InterruptedException {
        while (passed == null || passed.compareTo(point) < 0) {
            wait(1000);
        }
        return passedGtids;
    }

    public synchronized long emittedRows() {
        return emittedRows;
    }

    public synchronized long emittedChunks() {
        return emittedChunks;
    }

    /** Chunk rows not delivered because the stream changed their key while they were in flight. */
    public synchronized long droppedRows() {
        return droppedRows;
    }
}
