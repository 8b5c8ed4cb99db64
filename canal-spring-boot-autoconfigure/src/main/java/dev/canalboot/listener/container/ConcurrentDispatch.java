package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of a container with {@code concurrency > 1}: the rows of each batch go to N workers, each with a
 * queue that keeps binlog order, chosen by the {@link KeyRouter} so that what must stay in order shares a
 * worker. An UPDATE whose old and new key belong to different workers is a crossing: it runs on the new key's
 * worker once the old key's worker reached it, and the old key's worker waits until it ran. Events of other
 * kinds that a listener wants (transaction boundaries, schema changes) are barriers, run by the dispatching
 * thread once everything before them is done.
 * <p>
 * Batches complete in any order; {@link #takeCompleted()} hands them out in order, so the container
 * acknowledges only a prefix of batches that are done in full. After a failure, work of the failed batch and
 * later ones is dropped; earlier batches finish.
 * <p>
 * The container's thread calls everything but the workers' own loop.
 */
final class ConcurrentDispatch {

    /** How long {@link #start} waits for every worker to be running. */
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final String sourceName;
    private final EventDelivery delivery;
    private final KeyRouter router;
    private final ContainerObserver observer;
    private final Worker[] workers;

    /** Guards the waits of the container's thread and of crossings. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();

    /** Batches dispatched and not acknowledged, in order. Container thread only. */
    private final ArrayDeque<InFlightBatch> unacked = new ArrayDeque<>();
    /** Queued or running items of every worker. */
    private final AtomicLong pendingItems = new AtomicLong();
    private final AtomicLong rowsInFlight = new AtomicLong();
    private volatile Throwable failure;
    /** Items of this batch sequence and later are dropped: set by a failure. */
    private volatile long failedSeq = Long.MAX_VALUE;
    private volatile boolean aborted;
    private volatile boolean closed;
    private long nextSeq;

    /** Rows of the batch being split, per worker. Container thread only. */
    private final List<ChangeEvent>[] shares;
    /** The workers with rows gathered in this batch, each once. */
    private final int[] touched;
    private final boolean[] inTouched;
    private int touchedCount;

    @SuppressWarnings("unchecked")
    ConcurrentDispatch(String sourceName, ListenerConcurrency concurrency, ContainerObserver observer,
                       EventDelivery delivery) {
        this.sourceName = sourceName;
        this.delivery = delivery;
        this.observer = observer;
        int n = concurrency.workers();
        this.router = new KeyRouter(n, concurrency.ordering(), sourceName);
        this.workers = new Worker[n];
        this.shares = new List[n];
        this.touched = new int[n];
        this.inTouched = new boolean[n];
        for (int i = 0; i < n; i++) {
            workers[i] = new Worker();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Runs every worker's loop on {@code executor}; fails when it does not run all of them at once. */
    void start(TaskExecutor executor) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(workers.length);
        try {
            for (Worker worker : workers) {
                worker.running = running;
                executor.execute(worker);
            }
        } catch (TaskRejectedException e) {
            close();
            throw tooFewThreads(executor, running, "rejected a worker", e);
        }
        if (!running.await(START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
            close();
            throw tooFewThreads(executor, running, "did not start them all within " + START_TIMEOUT_MILLIS + " ms", null);
        }
    }

    private IllegalStateException tooFewThreads(TaskExecutor executor, CountDownLatch running, String what,
                                                Exception cause) {
        return new IllegalStateException("Listener container of source '" + sourceName + "': the TaskExecutor "
                + executor + " " + what + " (" + (workers.length - running.getCount()) + " of " + workers.length
                + " workers running). Each worker runs for the whole life of the container: give the executor at "
                + "least " + workers.length + " threads (canal.listener.concurrency), or remove it to let the "
                + "container start its own", cause);
    }

    /** Drops what is queued, interrupts running listeners, and wakes every wait. */
    void abort() {
        aborted = true;
        for (Worker worker : workers) {
            Thread thread = worker.current;
            if (thread != null && worker.busy) {
                thread.interrupt();
            }
        }
        signal();
    }

    /** Ends the workers once they finished their current item. */
    void close() {
        closed = true;
        for (Worker worker : workers) {
            worker.queue.add(Item.END);
        }
        signal();
    }

    boolean isWorkerThread(Thread thread) {
        for (Worker worker : workers) {
            if (worker.current == thread) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- dispatching (container thread)

    /**
     * Splits {@code batch} to the workers and runs its barriers. Returns once every row is queued and every
     * barrier ran, or early when a listener failed (see {@link #failure()}).
     *
     * @throws InterruptedException when aborted while waiting at a barrier, or while a barrier listener ran
     */
    void submit(ChangeBatch batch) throws InterruptedException {
        InFlightBatch inFlight = new InFlightBatch(batch, nextSeq++);
        unacked.add(inFlight);
        List<ChangeEvent> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            if (!delivery.wanted(event)) {
                continue;
            }
            if (event instanceof RowChange row) {
                int worker = router.worker(row);
                int newKeyWorker = router.newKeyWorker(row, worker);
                if (newKeyWorker < 0) {
                    share(worker).add(row);
                } else {
                    flush(inFlight, worker);
                    flush(inFlight, newKeyWorker);
                    Crossing crossing = new Crossing();
                    enqueue(newKeyWorker, new CrossingRow(inFlight, List.of(row), crossing));
                    enqueue(worker, new CrossingWait(inFlight, crossing));
                }
            } else {
                flushAll(inFlight);
                if (!awaitAllDone() || !runBarrier(inFlight, event)) {
                    return;
                }
            }
        }
        flushAll(inFlight);
        inFlight.pending.decrementAndGet(); // sealed: every item is counted
    }

    private boolean runBarrier(InFlightBatch inFlight, ChangeEvent event) throws InterruptedException {
        try {
            delivery.deliver(List.of(event));
            return true;
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            failed(inFlight, e);
            return false;
        }
    }

    private List<ChangeEvent> share(int worker) {
        List<ChangeEvent> share = shares[worker];
        if (share == null) {
            share = new ArrayList<>();
            shares[worker] = share;
        }
        if (!inTouched[worker]) {
            inTouched[worker] = true;
            touched[touchedCount++] = worker;
        }
        return share;
    }

    private void flushAll(InFlightBatch inFlight) {
        for (int i = 0; i < touchedCount; i++) {
            flush(inFlight, touched[i]);
            inTouched[touched[i]] = false;
        }
        touchedCount = 0;
    }

    /** Queues the rows gathered for {@code worker} as one item (its share of the batch, up to here). */
    private void flush(InFlightBatch inFlight, int worker) {
        List<ChangeEvent> share = shares[worker];
        if (share != null && !share.isEmpty()) {
            enqueue(worker, new Share(inFlight, List.copyOf(share)));
            share.clear(); // stays in touched: flushAll skips it while empty
        }
    }

    private void enqueue(int worker, Item item) {
        item.batch.pending.incrementAndGet();
        pendingItems.incrementAndGet();
        rowsInFlight.addAndGet(item.rows());
        workers[worker].queuedRows.addAndGet(item.rows());
        workers[worker].queue.add(item);
    }

    /** Waits until every queued item ran; false on a failure or abort. */
    private boolean awaitAllDone() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (pendingItems.get() > 0 && failure == null && !aborted) {
                progress.await();
            }
            return failure == null && !aborted;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- acknowledging (container thread)

    /** The oldest batch if it is done in full (and before any failure), removed; else null. */
    InFlightBatch takeCompleted() {
        InFlightBatch head = unacked.peek();
        if (head != null && head.pending.get() == 0 && head.seq < failedSeq) {
            return unacked.poll();
        }
        return null;
    }

    /** The oldest batch not acknowledged, or null. */
    ChangeBatch oldestUnacked() {
        InFlightBatch head = unacked.peek();
        return head == null ? null : head.batch;
    }

    /** Removes and returns the batches not acknowledged, oldest first. */
    List<InFlightBatch> drainUnacked() {
        List<InFlightBatch> left = new ArrayList<>(unacked);
        unacked.clear();
        return left;
    }

    int unackedCount() {
        return unacked.size();
    }

    /** Waits at most {@code nanos} for a batch to complete, a failure, or the workers to go quiet. */
    void awaitProgress(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            InFlightBatch head = unacked.peek();
            if ((head == null || head.pending.get() > 0) && failure == null && pendingItems.get() > 0 && !aborted) {
                progress.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most {@code nanos} for the next batch completion, failure or quiet; at once when quiet. */
    void awaitSignal(long nanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (pendingItems.get() > 0) {
                progress.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether no item is queued or running. */
    boolean isQuiet() {
        return pendingItems.get() == 0;
    }

    /** The first listener failure that the error handler did not let pass, or null. */
    Throwable failure() {
        return failure;
    }

    // ---------------------------------------------------------------- what the actuator reads

    long rowsInFlight() {
        return rowsInFlight.get();
    }

    /** Rows queued and not started, per worker. */
    int[] queueDepths() {
        int[] depths = new int[workers.length];
        for (int i = 0; i < workers.length; i++) {
            depths[i] = workers[i].queuedRows.get();
        }
        return depths;
    }

    // ---------------------------------------------------------------- workers

    private void failed(InFlightBatch batch, Throwable error) {
        lock.lock();
        try {
            if (failure == null) {
                failure = error;
            } else if (failure != error) {
                failure.addSuppressed(error);
            }
            failedSeq = Math.min(failedSeq, batch.seq);
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean dropped(Item item) {
        return aborted || item.batch.seq >= failedSeq;
    }

    private void signal() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void finished(Item item, boolean done) {
        rowsInFlight.addAndGet(-item.rows());
        boolean signal = false;
        if (done && item.batch.pending.decrementAndGet() == 0) {
            signal = true;
        }
        if (pendingItems.decrementAndGet() == 0) {
            signal = true;
        }
        if (signal) {
            signal();
        }
    }

    /** Waits for a crossing's other side; false when the item is dropped instead. */
    private boolean awaitCrossing(Item item, Crossing crossing, boolean forRow) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!(forRow ? crossing.reached : crossing.ran)) {
                if (dropped(item)) {
                    return false;
                }
                progress.await();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void mark(Crossing crossing, boolean reached) {
        lock.lock();
        try {
            if (reached) {
                crossing.reached = true;
            } else {
                crossing.ran = true;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Worker implements Runnable {
        final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        final AtomicInteger queuedRows = new AtomicInteger();
        volatile Thread current;
        volatile boolean busy;
        CountDownLatch running;

        @Override
        public void run() {
            current = Thread.currentThread();
            running.countDown();
            try {
                while (true) {
                    Item item;
                    try {
                        item = queue.take();
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                        continue; // an abort while idle: the next items are dropped anyway
                    }
                    if (item == Item.END) {
                        return;
                    }
                    queuedRows.addAndGet(-item.rows());
                    if (dropped(item)) {
                        finished(item, false);
                        continue;
                    }
                    busy = true;
                    boolean done = false;
                    try {
                        done = item.run(ConcurrentDispatch.this);
                    } catch (InterruptedException e) {
                        if (!aborted) { // not our abort: the batch can never complete, so the container stops
                            failed(item.batch, new IllegalStateException("A listener of source '" + sourceName
                                    + "' was interrupted without a stop request", e));
                        }
                    } catch (RuntimeException | Error e) {
                        failed(item.batch, e);
                    } finally {
                        busy = false;
                        if (aborted) {
                            Thread.interrupted(); // our abort must not reach the next item or the executor
                        }
                        finished(item, done);
                    }
                }
            } finally {
                current = null;
            }
        }
    }

    // ---------------------------------------------------------------- items

    /** A batch dispatched and not yet acknowledged. */
    static final class InFlightBatch {
        final ChangeBatch batch;
        final long seq;
        final long startedNanos = System.nanoTime();
        /** Items not done, plus 1 until every item of the batch is queued. */
        final AtomicInteger pending = new AtomicInteger(1);
        final AtomicInteger delivered = new AtomicInteger();

        InFlightBatch(ChangeBatch batch, long seq) {
            this.batch = batch;
            this.seq = seq;
        }
    }

    /** The meeting point of an UPDATE that moves a row between two workers' keys. */
    private static final class Crossing {
        /** The old key's worker reached the row: every earlier row of the old key is done. */
        boolean reached;
        /** The row ran (or was dropped): later rows of the old key may go. */
        boolean ran;
    }

    /** Something a worker does. */
    private abstract static class Item {
        static final Item END = new Item(null) {
            @Override
            boolean run(ConcurrentDispatch dispatch) {
                return false;
            }
        };

        final InFlightBatch batch;

        Item(InFlightBatch batch) {
            this.batch = batch;
        }

        int rows() {
            return 0;
        }

        /** Does the work; true when done in full (false: dropped). */
        abstract boolean run(ConcurrentDispatch dispatch) throws InterruptedException;
    }

    /** Consecutive rows of one batch for one worker: each to the event listeners, then to the batch listeners. */
    private static class Share extends Item {
        final List<ChangeEvent> rows;
        final long queuedNanos = System.nanoTime();

        Share(InFlightBatch batch, List<ChangeEvent> rows) {
            super(batch);
            this.rows = rows;
        }

        @Override
        int rows() {
            return rows.size();
        }

        @Override
        boolean run(ConcurrentDispatch dispatch) throws InterruptedException {
            dispatch.observer.rowsWaited(dispatch.sourceName, rows.size(), System.nanoTime() - queuedNanos);
            batch.delivered.addAndGet(dispatch.delivery.deliver(rows));
            return true;
        }
    }

    /** A key-changing UPDATE, on its new key's worker: runs once the old key's worker reached it too. */
    private static final class CrossingRow extends Share {
        final Crossing crossing;

        CrossingRow(InFlightBatch batch, List<ChangeEvent> rows, Crossing crossing) {
            super(batch, rows);
            this.crossing = crossing;
        }

        @Override
        boolean run(ConcurrentDispatch dispatch) throws InterruptedException {
            try {
                return dispatch.awaitCrossing(this, crossing, true) && super.run(dispatch);
            } finally {
                dispatch.mark(crossing, false);
            }
        }
    }

    /** The old key's side of a crossing: holds that worker until the row ran. */
    private static final class CrossingWait extends Item {
        final Crossing crossing;

        CrossingWait(InFlightBatch batch, Crossing crossing) {
            super(batch);
            this.crossing = crossing;
        }

        @Override
        boolean run(ConcurrentDispatch dispatch) throws InterruptedException {
            dispatch.mark(crossing, true);
            return dispatch.awaitCrossing(this, crossing, false);
        }
    }
}
