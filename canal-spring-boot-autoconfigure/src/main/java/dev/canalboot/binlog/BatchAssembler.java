package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.RowImages;
import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.schema.SchemaState;
import dev.canalboot.model.ChangeEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Groups the decoder's events into batches and keeps the position of the last transaction end (with the
 * executed GTIDs, when tracked), which is where reading can resume. Runs on one connection's event loop.
 * <p>
 * A batch closes at the first transaction end once it holds {@code batchSize} events, at the end of a read
 * with every transaction completed in it (the events of a transaction still open stay for the next batch:
 * a read that ends mid-transaction must not hold back the complete ones before it), and — so a huge
 * transaction streams in bounded memory — mid-transaction at twice the batch size. Sizes count events: the rows
 * of row images left undecoded ({@link #deferRows}) count one each.
 */
final class BatchAssembler implements BinlogStreamDecoder.Sink {

    interface Output {
        /** {@code lastTransactionEnd}: where to resume so that nothing after the batch's complete transactions is lost. */
        void emit(ReadBatch batch, BinlogCheckpoint lastTransactionEnd);
    }

    private final int batchSize;
    private final Supplier<SchemaState> schema;
    private final Output output;
    private final SourceCounters metrics;
    /** Whether a rows event may be left undecoded for the consumer; null: never. */
    private final BooleanSupplier deferRows;
    /** {@link ChangeEvent}s and {@link RowImages}. */
    private List<Object> pending;
    /** Events {@code pending} stands for. */
    private int pendingEvents;
    private boolean pendingUndecoded;
    /** How many items of {@code pending} belong to completed transactions (up to {@code lastTransactionEnd}). */
    private int completed;
    private int completedEvents;
    private BinlogCheckpoint lastTransactionEnd;
    private GtidSet mysqlGtids;
    private final Map<String, String> mariaDbGtids;
    private String currentFile;
    /** Every event before this point has been emitted (null until known): read by the consumer's thread. */
    private volatile BinlogCheckpoint drainedThrough;

    BatchAssembler(int batchSize, BinlogCheckpoint start, Output output, SourceCounters metrics) {
        this(batchSize, start, output, metrics, null);
    }

    BatchAssembler(int batchSize, BinlogCheckpoint start, Output output, SourceCounters metrics,
                   BooleanSupplier deferRows) {
        this(batchSize, start, output, metrics, deferRows, () -> null);
    }

    /** @param schema the schema history's state after the last event decoded: kept with each transaction end */
    BatchAssembler(int batchSize, BinlogCheckpoint start, Output output, SourceCounters metrics,
                   BooleanSupplier deferRows, Supplier<SchemaState> schema) {
        this.schema = schema;
        this.batchSize = batchSize;
        this.deferRows = deferRows;
        this.output = output;
        this.metrics = metrics;
        this.lastTransactionEnd = start;
        this.pending = newBatch();
        this.mysqlGtids = start.gtidSet();
        this.mariaDbGtids = start.mariaDbGtids() == null ? null : parseMariaDb(start.mariaDbGtids());
    }

    BinlogCheckpoint lastTransactionEnd() {
        return lastTransactionEnd;
    }

    /**
     * The stream is asked to start at {@code file:position} (a dump by file): nothing before that point is this
     * stream's to hand on, so it is drained through it before the first batch or heartbeat (a snapshot chunk of an
     * idle server need not wait for a heartbeat).
     */
    void startsAt(String file, long position) {
        if (drainedThrough == null && file != null && !file.isEmpty() && position > 0) {
            drainedThrough = BinlogCheckpoint.of(file, position, null, null);
        }
    }

    /**
     * A point up to which every event read has been handed on in a batch: the last transaction end when nothing
     * is pending after it, or the point a heartbeat of an idle server names. Null until known.
     */
    BinlogCheckpoint drainedThrough() {
        return drainedThrough;
    }

    /** The binlog file of the last event read (null before the first). */
    String currentFile() {
        return currentFile;
    }

    @Override
    public void onChange(ChangeEvent change) {
        add(change, 1);
    }

    @Override
    public boolean deferRows() {
        return deferRows != null && deferRows.getAsBoolean();
    }

    /** Cut where the rows, decoded one by one, would have been cut: at twice the batch size. */
    @Override
    public void onRows(RowImages rows) {
        int total = rows.rows();
        for (int from = 0; from < total; ) {
            int to = Math.min(total, from + 2 * batchSize - pendingEvents);
            pendingUndecoded = true;
            add(from == 0 && to == total ? rows : rows.slice(from, to), to - from);
            from = to;
        }
    }

    private void add(Object item, int events) {
        pending.add(item);
        pendingEvents += events;
        if (pendingEvents >= 2 * batchSize) {
            flush();
        }
    }

    @Override
    public void onPosition(String file, long nextPosition, String gtid, boolean transactionEnd) {
        currentFile = file;
        if (!transactionEnd) {
            return;
        }
        if (gtid != null) {
            if (gtid.indexOf(':') > 0) {
                mysqlGtids = mysqlGtids == null ? null : mysqlGtids.add(gtid);
            } else if (mariaDbGtids != null) {
                mariaDbGtids.put(gtid.substring(0, gtid.indexOf('-')), gtid);
            }
        }
        lastTransactionEnd = BinlogCheckpoint.of(file, nextPosition, mysqlGtids,
                mariaDbGtids == null ? null : String.join(",", mariaDbGtids.values()), schema.get());
        completed = pending.size();
        completedEvents = pendingEvents;
        if (pendingEvents >= batchSize) {
            flush();
        }
    }

    @Override
    public void onHeartbeat(String file, long position) {
        metrics.heartbeat();
        flushAtTransactionEnd();
        if (pending.isEmpty() && file != null && position > 0) {
            drainedThrough = BinlogCheckpoint.of(file, position, null, null);
        }
    }

    @Override
    public void onSkipped(int eventType) {
        metrics.eventSkipped();
    }

    /** End of a network read: deliver the completed transactions rather than wait for more. */
    void flushAtTransactionEnd() {
        if (completed == 0) {
            return;
        }
        if (completed == pending.size()) {
            flush();
            return;
        }
        ReadBatch batch = new ReadBatch(new ArrayList<>(pending.subList(0, completed)), completedEvents,
                pendingUndecoded);
        List<Object> open = pending.subList(completed, pending.size());
        int openEvents = pendingEvents - completedEvents;
        pending = newBatch();
        pending.addAll(open);
        pendingEvents = openEvents;
        completed = 0;
        emit(batch);
    }

    private void flush() {
        ReadBatch batch = new ReadBatch(pending, pendingEvents, pendingUndecoded);
        pending = newBatch();
        pendingEvents = 0;
        pendingUndecoded = false;
        completed = 0;
        emit(batch);
    }

    /** Sized for a full batch and its closing transaction's end: growing a list of a thousand events cost as much as a column. */
    private ArrayList<Object> newBatch() {
        return new ArrayList<>(Math.min(batchSize + batchSize / 4 + 4, 4096));
    }

    /** Metrics are counted per batch, not per event: an atomic add and a volatile write per row add up. */
    private void emit(ReadBatch batch) {
        metrics.eventsHandedOver(batch.events());
        metrics.lastEventAt(batch.lastTimestamp());
        output.emit(batch, lastTransactionEnd);
        if (pending.isEmpty()) {
            drainedThrough = lastTransactionEnd;
        }
    }

    static Map<String, String> parseMariaDb(String position) {
        Map<String, String> byDomain = new LinkedHashMap<>();
        for (String gtid : position.split(",")) {
            String g = gtid.trim();
            if (!g.isEmpty()) {
                String[] parts = g.split("-");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("MariaDB GTID '" + g + "' is not domain-server-sequence");
                }
                byDomain.put(parts[0], g);
            }
        }
        return byDomain;
    }
}
