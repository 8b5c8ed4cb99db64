package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run of a container with {@code concurrency > 1}: the rows of each batch are cut into items, each the rows
 * of one order key in that batch (see {@link KeyRouter}), and N workers run the items. An item waits only for the
 * earlier items of its own keys: each key has a chain of items in binlog order (the map holds keys with work in
 * flight only), so a slow row holds the later rows of its key and nothing else. An UPDATE that changes the
 * primary key is an item of both keys. Events of other kinds that a listener wants (transaction boundaries,
 * schema changes) are barriers, run by the dispatching thread once everything before them is done.
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

    /** Guards the waits of the container's thread. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();

    /** Items whose earlier items of every key are done, in the order they became so. */
    private final LinkedBlockingQueue<Item> ready = new LinkedBlockingQueue<>();
    /** The last item of each key with work in flight; guarded by itself, as are the items' chain fields. */
    private final Map<Object, Item> chainTails = new HashMap<>();

    /** Batches dispatched and not acknowledged, in order. Container thread only. */
    private final ArrayDeque<InFlightBatch> unacked = new ArrayDeque<>();
    /** Items scheduled and not finished. */
    private final AtomicLong pendingItems = new AtomicLong();
    private final AtomicLong rowsInFlight = new AtomicLong();
    private volatile Throwable failure;
    /** Items of this batch sequence and later are dropped: set by a failure. */
    private volatile long failedSeq = Long.MAX_VALUE;
    private volatile boolean aborted;
    private volatile boolean closed;
    private long nextSeq;

    /** The items of the batch being cut, by grouping key, and in the order they were opened. Container thread only. */
    private final Map<Object, Item> open = new HashMap<>();
    private final List<Item> cut = new ArrayList<>();
    /** With no ordering: the next slice a row goes to (rows are dealt to N slices in turn). */
    private int nextSlice;

    ConcurrentDispatch(String sourceName, ListenerConcurrency concurrency, ContainerObserver observer,
                       EventDelivery delivery) {
        this.sourceName = sourceName;
        this.delivery = delivery;
        this.observer = observer;
        int n = concurrency.workers();
        this.router = new KeyRouter(concurrency.ordering(), sourceName);
        this.workers = new Worker[n];
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
        for (int i = 0; i < workers.length; i++) {
            ready.add(Item.END);
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
     * Cuts {@code batch} into items, schedules them, and runs its barriers. Returns once every row is scheduled
     * and every barrier ran, or early when a listener failed (see {@link #failure()}).
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
                Object key = router.key(row);
                Object newKey = router.newKey(row, key);
                if (newKey != null) {
                    // Ordered against both keys: later rows of either key go into items after this one.
                    open.remove(key);
                    open.remove(newKey);
                    openItem(inFlight, new Object[]{key, newKey}).rows.add(row);
                } else if (key != null) {
                    Item item = open.get(key);
                    if (item == null) {
                        item = openItem(inFlight, new Object[]{key});
                        open.put(key, item);
                    }
                    item.rows.add(row);
                } else {
                    Integer slice = nextSlice;
                    nextSlice = nextSlice + 1 == workers.length ? 0 : nextSlice + 1;
                    Item item = open.get(slice);
                    if (item == null) {
                        item = openItem(inFlight, Item.NO_KEYS);
                        open.put(slice, item);
                    }
                    item.rows.add(row);
                }
            } else {
                scheduleCut();
                if (!awaitAllDone() || !runBarrier(inFlight, event)) {
                    return;
                }
            }
        }
        scheduleCut();
        inFlight.pending.decrementAndGet(); // sealed: every item is counted
    }

    private Item openItem(InFlightBatch inFlight, Object[] keys) {
        Item item = new Item(inFlight, keys);
        cut.add(item);
        return item;
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

    /**
     * Schedules the items cut so far in the order they were opened (per key, that is binlog order): each behind
     * the last unfinished item of each of its keys, or ready at once.
     */
    private void scheduleCut() {
        for (int i = 0; i < cut.size(); i++) {
            Item item = cut.get(i);
            int rows = item.rows.size();
            item.batch.pending.incrementAndGet();
            pendingItems.incrementAndGet();
            rowsInFlight.addAndGet(rows);
            item.queuedNanos = System.nanoTime();
            boolean runnable;
            synchronized (chainTails) {
                for (Object key : item.keys) {
                    Item before = chainTails.put(key, item);
                    if (before != null) {
                        before.next.add(item);
                        item.waitingFor++;
                    }
                }
                runnable = item.waitingFor == 0;
            }
            if (runnable) {
                ready.add(item);
            }
        }
        cut.clear();
        open.clear();
    }

    /** Waits until every scheduled item ran; false on a failure or abort. */
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
    @Nullable InFlightBatch takeCompleted() {
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

    /** Rows each worker is handling now (the rows of its current item), per worker. */
    int[] queueDepths() {
        int[] depths = new int[workers.length];
        for (int i = 0; i < workers.length; i++) {
            depths[i] = workers[i].holding;
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

    /** Ends {@code item} (run or dropped): its keys' next items may go, and its batch counts it done. */
    private void finished(Item item, boolean done) {
        synchronized (chainTails) {
            for (Object key : item.keys) {
                chainTails.remove(key, item); // the key has no work in flight left: forget it
            }
            for (int i = 0; i < item.next.size(); i++) {
                Item next = item.next.get(i);
                if (--next.waitingFor == 0) {
                    ready.add(next);
                }
            }
            item.next.clear();
        }
        rowsInFlight.addAndGet(-item.rows.size());
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

    private final class Worker implements Runnable {
        /** Rows of the item this worker runs. */
        volatile int holding;
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
                        item = ready.take();
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                        continue; // an abort while idle: the next items are dropped anyway
                    }
                    if (item == Item.END) {
                        return;
                    }
                    if (dropped(item)) {
                        finished(item, false);
                        continue;
                    }
                    busy = true;
                    holding = item.rows.size();
                    boolean done = false;
                    try {
                        observer.rowsWaited(sourceName, item.rows.size(), System.nanoTime() - item.queuedNanos);
                        item.batch.delivered.addAndGet(delivery.deliver(item.rows));
                        done = true;
                    } catch (InterruptedException e) {
                        if (!aborted) { // not our abort: the batch can never complete, so the container stops
                            failed(item.batch, new IllegalStateException("A listener of source '" + sourceName
                                    + "' was interrupted without a stop request", e));
                        }
                    } catch (RuntimeException | Error e) {
                        failed(item.batch, e);
                    } finally {
                        busy = false;
                        holding = 0;
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
        /** Items not done, plus 1 until every item of the batch is scheduled. */
        final AtomicInteger pending = new AtomicInteger(1);
        final AtomicInteger delivered = new AtomicInteger();

        InFlightBatch(ChangeBatch batch, long seq) {
            this.batch = batch;
            this.seq = seq;
        }
    }

    /**
     * Rows of one batch with the same order keys, in binlog order: each to the event listeners, then all to the
     * batch listeners. Runs once every earlier item of each of its keys finished.
     */
    private static final class Item {
        static final Object[] NO_KEYS = new Object[0];
        static final Item END = new Item(null, NO_KEYS);

        final InFlightBatch batch;
        /** One key; two for an UPDATE that changes the primary key; none with no ordering. */
        final Object[] keys;
        final List<ChangeEvent> rows = new ArrayList<>(4);
        long queuedNanos;
        /** Guarded by chainTails: earlier items of its keys not finished yet. */
        int waitingFor;
        /** Guarded by chainTails: the items right behind this one in one of its keys' chains. */
        final List<Item> next = new ArrayList<>(1);

        Item(InFlightBatch batch, Object[] keys) {
            this.batch = batch;
            this.keys = keys;
        }
    }
}
