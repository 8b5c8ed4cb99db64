package dev.canalboot.testsupport;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * The one in-memory {@link ChangeSource} of this module's tests (container, listener, actuator and auto-configuration
 * tests): batches are queued with {@link #offer}, acks, rollbacks, starts and closes recorded and awaited.
 */
public class InMemoryChangeSource implements ChangeSource {

    /** Upper bound for waiting on the container in tests; reaching it fails the test. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private final String name;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong nextBatchId = new AtomicLong(1);
    private final List<Long> acked = new ArrayList<>();
    private final List<Long> rolledBack = new ArrayList<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private volatile SourceState state = SourceState.IDLE;

    public InMemoryChangeSource(String name) {
        this.name = name;
    }

    /** Queues one batch of the given events; returns it. */
    public ChangeBatch offer(ChangeEvent... events) {
        ChangeBatch batch = new ChangeBatch(nextBatchId.getAndIncrement(), List.of(events));
        queue.add(batch);
        return batch;
    }

    /** Queues a batch made by the test (its id is the test's); returns it. */
    public ChangeBatch offer(ChangeBatch batch) {
        queue.add(batch);
        return batch;
    }

    /** The next poll throws {@code error}. */
    public void failNextPoll(SourceException error) {
        queue.add(error);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start() {
        starts.incrementAndGet();
        state = SourceState.CONNECTED;
    }

    @Override
    public ChangeBatch poll(Duration timeout) throws InterruptedException {
        Object next = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next instanceof SourceException error) {
            throw error;
        }
        return (ChangeBatch) next;
    }

    @Override
    public synchronized void ack(ChangeBatch batch) {
        acked.add(batch.id());
        notifyAll();
    }

    @Override
    public synchronized void rollback(ChangeBatch batch) {
        rolledBack.add(batch.id());
        notifyAll();
    }

    @Override
    public synchronized void close() {
        closes.incrementAndGet();
        state = SourceState.STOPPED;
        notifyAll();
    }

    @Override
    public SourceState state() {
        return state;
    }

    public synchronized List<Long> acked() {
        return List.copyOf(acked);
    }

    public synchronized List<Long> rolledBack() {
        return List.copyOf(rolledBack);
    }

    public int starts() {
        return starts.get();
    }

    public int closes() {
        return closes.get();
    }

    public void awaitAcked(ChangeBatch batch) {
        awaitCondition(() -> acked.contains(batch.id()), "batch " + batch.id() + " acknowledged");
    }

    public void awaitRolledBack(ChangeBatch batch) {
        awaitCondition(() -> rolledBack.contains(batch.id()), "batch " + batch.id() + " rolled back");
    }

    public void awaitClosed() {
        awaitCondition(() -> closes.get() > 0, "source closed");
    }

    private synchronized void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (!condition.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("Gave up waiting for " + what + " of source " + name + "; acked " + acked
                            + ", rolled back " + rolledBack);
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("Interrupted waiting for " + what);
        }
    }

    /** Waits (bounded) until {@code condition} holds, e.g. a container state. */
    public static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Gave up waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted waiting for " + what);
            }
        }
    }
}
