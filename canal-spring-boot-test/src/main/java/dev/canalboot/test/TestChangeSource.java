package dev.canalboot.test;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceState;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChangeSource} fed by the test: each {@link #send} is one batch that the real listener container
 * polls and dispatches, so {@code @CanalListener} methods, POJO mapping, retries and the error handler run as
 * in production. As a bean it replaces the configured sources ({@code canal.source.*} is then not read).
 * <p>
 * Like a real source it delivers a rolled-back batch again, and counts what the container acknowledged.
 */
public class TestChangeSource implements ChangeSource {

    /** Binlog file name of the positions {@link #send} stamps on events. */
    public static final String FILE = "test-binlog.000001";

    private final String name;
    private final LinkedList<ChangeBatch> pending = new LinkedList<>();
    private final List<ChangeBatch> acknowledged = new ArrayList<>();
    private final List<ChangeBatch> rolledBack = new ArrayList<>();
    private final AtomicLong batchIds = new AtomicLong();
    private long offset = 4;
    private volatile SourceState state = SourceState.IDLE;

    /** A source named {@code default}, which is what {@code @CanalListener} methods without {@code source} read. */
    public TestChangeSource() {
        this("default");
    }

    public TestChangeSource(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Queues {@code events} as one batch, with this source's name and increasing positions in {@link #FILE}.
     * Returns the batch as the listeners will see it.
     */
    public synchronized ChangeBatch send(ChangeEvent... events) {
        List<ChangeEvent> stamped = new ArrayList<>(events.length);
        for (ChangeEvent event : events) {
            offset += 100;
            stamped.add(stamp(event, new SourcePosition(FILE, offset, null)));
        }
        ChangeBatch batch = new ChangeBatch(batchIds.incrementAndGet(), stamped);
        pending.add(batch);
        notifyAll();
        return batch;
    }

    private ChangeEvent stamp(ChangeEvent event, SourcePosition position) {
        if (event instanceof RowChange row) {
            return new RowChange(name, row.tableSchema(), row.type(), row.before(), row.after(), position, row.timestamp());
        }
        if (event instanceof SchemaChange ddl) {
            return new SchemaChange(name, ddl.schema(), ddl.table(), ddl.sql(), position, ddl.timestamp());
        }
        TransactionBoundary boundary = (TransactionBoundary) event;
        return new TransactionBoundary(name, boundary.kind(), boundary.transactionId(), position, boundary.timestamp());
    }

    /**
     * Waits until the container acknowledged {@code batch} (every listener returned for all its events, or the
     * error handler skipped or dead-lettered the failures).
     *
     * @throws TimeoutException naming what was acknowledged and rolled back meanwhile
     */
    public synchronized void awaitAcknowledged(ChangeBatch batch, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.stream().noneMatch(b -> b.id() == batch.id())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("Batch " + batch.id() + " " + batch.events() + " of test source '" + name
                        + "' was not acknowledged within " + timeout + "; acknowledged: " + ids(acknowledged)
                        + ", rolled back: " + ids(rolledBack) + ", source state " + state
                        + " (a rolled-back batch means a listener failed and the error handler stopped the container)");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Batches the container acknowledged, in order. */
    public synchronized List<ChangeBatch> acknowledged() {
        return List.copyOf(acknowledged);
    }

    /** Batches the container rolled back (a listener failed and the error handler stopped), in order. */
    public synchronized List<ChangeBatch> rolledBack() {
        return List.copyOf(rolledBack);
    }

    private static List<Long> ids(List<ChangeBatch> batches) {
        return batches.stream().map(ChangeBatch::id).toList();
    }

    @Override
    public synchronized void start() {
        state = SourceState.CONNECTED;
        notifyAll();
    }

    @Override
    public synchronized @Nullable ChangeBatch poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return pending.removeFirst();
    }

    @Override
    public synchronized void ack(ChangeBatch batch) {
        acknowledged.add(batch);
        notifyAll();
    }

    @Override
    public synchronized void rollback(ChangeBatch batch) {
        rolledBack.add(batch);
        pending.addFirst(batch); // delivered again, as a real source would after a restart
        notifyAll();
    }

    @Override
    public synchronized void close() {
        state = SourceState.STOPPED;
        notifyAll();
    }

    @Override
    public SourceState state() {
        return state;
    }

    @Override
    public String toString() {
        return "TestChangeSource[" + name + ", " + state + "]";
    }
}
