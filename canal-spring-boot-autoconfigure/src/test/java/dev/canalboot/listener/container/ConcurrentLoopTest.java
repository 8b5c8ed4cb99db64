package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.InMemoryChangeSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop with several workers, driven through its {@link ConcurrentLoop.Control} seam: in-order
 * acknowledgement, the read-ahead bound, and how it ends on the end of input, a refused claim, a failed
 * acknowledgement, a failed listener and a withdrawn delivery permit.
 */
class ConcurrentLoopTest {

    private final Events events = new Events("s");
    private final FakeControl control = new FakeControl();
    /** Row ids the listener was called with. */
    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    /** Row ids whose listener call waits for {@link #release}. */
    private final Set<Long> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);
    private Thread loopThread;

    @AfterEach
    void end() throws InterruptedException {
        release.countDown();
        control.stop = true;
        if (loopThread != null) {
            loopThread.join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    /** The container as the loop sees it, recording what the loop does. */
    static final class FakeControl implements ConcurrentLoop.Control {
        final BlockingQueue<ChangeBatch> toPoll = new LinkedBlockingQueue<>();
        final List<Long> acknowledged = new CopyOnWriteArrayList<>();
        final List<Long> rolledBack = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        volatile boolean stop;
        volatile boolean refuseClaims;

        @Override
        public boolean stopRequested() {
            return stop;
        }

        @Override
        public boolean paused() {
            return false;
        }

        @Override
        public boolean abortRequested() {
            return false;
        }

        @Override
        public boolean failed() {
            return !failures.isEmpty();
        }

        @Override
        public boolean awaitNotPaused() {
            return true;
        }

        @Override
        public ChangeBatch poll(SourceRetry sourceRetry, Duration timeout) {
            try {
                return toPoll.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public boolean claim(ChangeBatch batch) {
            return !refuseClaims && !stop;
        }

        @Override
        public void oldestInFlight(ChangeBatch batch) {
        }

        @Override
        public void running(ConcurrentDispatch dispatch) {
        }

        @Override
        public void acknowledged(ChangeBatch batch, int delivered, long startedNanos) {
            acknowledged.add(batch.id());
        }

        @Override
        public void rollback(ChangeBatch batch) {
            rolledBack.add(batch.id());
        }

        @Override
        public void fail(Throwable error) {
            failures.add(error);
        }
    }

    private ListenerEndpoint endpoint(long failingId) {
        return new ListenerEndpoint("e", "bean#e", List.of(TablePattern.parse("shop.orders")), Set.of(), "s",
                new EndpointInvoker() {
                    @Override
                    public Kind kind() {
                        return Kind.ROW;
                    }

                    @Override
                    public void invoke(ChangeEvent event) throws Exception {
                        long id = ((RowChange) event).row().getLong("id");
                        if (held.contains(id)) {
                            release.await();
                        }
                        if (id == failingId) {
                            throw new IllegalStateException("row " + id + " failed");
                        }
                        delivered.add(id);
                    }

                    @Override
                    public void invokeBatch(List<RowChange> rows) {
                    }
                });
    }

    private ChangeBatch batch(long id, long... rowIds) {
        List<ChangeEvent> rows = new java.util.ArrayList<>();
        for (long rowId : rowIds) {
            rows.add(events.insert(ORDERS, order(rowId, "A-" + rowId, "1.00", 1)));
        }
        return new ChangeBatch(id, rows);
    }

    private void run(InMemoryChangeSource source, int maxInFlight, long failingId, BooleanSupplier permitted) {
        ContainerSettings settings = ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(20))
                .withRetryPolicy(RetryPolicy.noRetry())
                .withConcurrency(new ListenerConcurrency(4, ListenerConcurrency.Ordering.KEY, maxInFlight));
        EventDelivery delivery = new EventDelivery(List.of(endpoint(failingId)),
                new RetryingListenerInvoker("s", settings, () -> false, permitted));
        ConcurrentLoop loop = new ConcurrentLoop("s", source, settings, delivery, control);
        loopThread = new Thread(loop::run, "loop-under-test");
        loopThread.setDaemon(true); // a loop a failed test left running cannot hold the JVM
        loopThread.start();
    }

    private void run(InMemoryChangeSource source) {
        run(source, 8, -1, () -> true);
    }

    private void awaitLoopEnded() throws InterruptedException {
        loopThread.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(loopThread.isAlive()).as("the loop ended").isFalse();
    }

    @Test
    void batchesDoneOutOfOrderAreAcknowledgedInOrderAndTheEndOfInputFinishesTheWorkInFlight() throws Exception {
        InMemoryChangeSource source = new InMemoryChangeSource("s");
        held.add(1L);
        run(source);
        control.toPoll.add(batch(1, 1));
        control.toPoll.add(batch(2, 2));
        control.toPoll.add(batch(3, 3));
        await(() -> delivered.containsAll(List.of(2L, 3L)), "rows of batches 2 and 3 delivered");
        assertThat(control.acknowledged).as("nothing ahead of the unfinished batch 1").isEmpty();
        assertThat(source.acked()).isEmpty();

        control.toPoll.add(CanalListenerContainer.END);
        release.countDown();
        awaitLoopEnded();
        assertThat(control.acknowledged).containsExactly(1L, 2L, 3L);
        assertThat(source.acked()).containsExactly(1L, 2L, 3L);
        assertThat(control.rolledBack).isEmpty();
        assertThat(control.failures).isEmpty();
    }

    @Test
    void noMoreThanMaxInFlightBatchesAreReadAheadOfAnUnfinishedOne() throws Exception {
        InMemoryChangeSource source = new InMemoryChangeSource("s");
        held.add(1L);
        run(source, 2, -1, () -> true);
        control.toPoll.add(batch(1, 1));
        control.toPoll.add(batch(2, 2));
        control.toPoll.add(batch(3, 3));
        await(() -> delivered.contains(2L) && control.toPoll.size() == 1, "batch 2 delivered");
        Thread.sleep(200); // the loop polls every few ms: the third batch would be taken by now
        assertThat(control.toPoll).as("batch 3 stays unread while two batches are unacknowledged").hasSize(1);

        release.countDown();
        await(() -> control.acknowledged.size() == 3, "all three acknowledged");
        assertThat(control.acknowledged).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aBatchThatCannotBeClaimedIsRolledBackUndelivered() throws Exception {
        InMemoryChangeSource source = new InMemoryChangeSource("s");
        control.refuseClaims = true;
        control.toPoll.add(batch(1, 1));
        run(source);
        awaitLoopEnded();
        assertThat(control.rolledBack).containsExactly(1L);
        assertThat(delivered).isEmpty();
        assertThat(control.failures).isEmpty();
    }

    @Test
    void aFailedAcknowledgementFailsTheContainerAndAcknowledgesNothingMore() throws Exception {
        IllegalStateException ackFailed = new IllegalStateException("connection lost while acknowledging");
        InMemoryChangeSource source = new InMemoryChangeSource("s") {
            @Override
            public synchronized void ack(ChangeBatch batch) {
                throw ackFailed;
            }
        };
        control.toPoll.add(batch(1, 1));
        run(source);
        awaitLoopEnded();
        assertThat(control.failures).containsExactly(ackFailed);
        assertThat(control.acknowledged).isEmpty();
        assertThat(delivered).containsExactly(1L);
    }

    @Test
    void aFailedListenerFailsTheContainerAndRollsBackFromItsBatchOnWhileEarlierBatchesAreAcknowledged()
            throws Exception {
        InMemoryChangeSource source = new InMemoryChangeSource("s");
        held.add(1L);
        run(source, 8, 2, () -> true);
        control.toPoll.add(batch(1, 1));
        control.toPoll.add(batch(2, 2));
        await(control.toPoll::isEmpty, "both batches polled");
        release.countDown(); // batch 1 finishes after batch 2 failed
        awaitLoopEnded();
        assertThat(control.failures).singleElement().isInstanceOf(ListenerExecutionFailedException.class);
        assertThat(control.acknowledged).containsExactly(1L);
        assertThat(control.rolledBack).as("the failed batch, and with it all read after it").containsExactly(2L);
    }

    @Test
    void aWithdrawnDeliveryPermitRollsBackWithoutFailingTheContainer() throws Exception {
        InMemoryChangeSource source = new InMemoryChangeSource("s");
        control.toPoll.add(batch(1, 1));
        run(source, 8, -1, () -> false);
        awaitLoopEnded();
        assertThat(delivered).isEmpty();
        assertThat(control.failures).as("another instance leads: no failure").isEmpty();
        assertThat(control.rolledBack).containsExactly(1L);
        assertThat(control.acknowledged).isEmpty();
    }
}
