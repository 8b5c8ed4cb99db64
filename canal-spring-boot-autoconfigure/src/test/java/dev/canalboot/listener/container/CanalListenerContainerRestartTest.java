package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.RowListeners;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class CanalListenerContainerRestartTest {

    @Test
    void aStartRightAfterTheFailureRunsAgainWhileTheFailedRunStillCloses() throws Exception {
        // The failed run's source takes a while to close: the container is FAILED before its thread ends.
        InMemoryChangeSource source = new InMemoryChangeSource("s") {
            @Override
            public void close() {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.close();
            }
        };
        AtomicBoolean failOnce = new AtomicBoolean(true);
        List<Long> delivered = new CopyOnWriteArrayList<>();
        ListenerEndpoint endpoint = RowListeners.endpoint("app", "s", "*.*", event -> {
            if (failOnce.getAndSet(false)) {
                throw new IllegalStateException("listener failed once");
            }
            delivered.add(((RowChange) event).row().getLong("id"));
        });
        CanalListenerContainer container = new CanalListenerContainer(source, List.of(endpoint),
                ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry()));
        Events events = new Events("s");
        RowChange row = events.insert(Events.ORDERS, Events.order(1, "A-1", "1.00", 1));

        ChangeBatch batch = source.offer(row);
        container.start();
        source.awaitRolledBack(batch);
        InMemoryChangeSource.await(() -> container.getState() == ContainerState.FAILED, "container failed");

        ChangeBatch again = source.offer(row);
        container.start(); // at once: the failed run is still closing its source
        source.awaitAcked(again);
        container.stop();
        assertThat(delivered).containsExactly(1L);
    }

    @Test
    void anAbortMeantForAnEndedRunLeavesTheRestartedRunAlone() throws Exception {
        // A stop's shutdown watchdog that wakes late, after its run ended and a restart began, must not abort the
        // new run: it once did, and the restarted container delivered nothing.
        InMemoryChangeSource source = new InMemoryChangeSource("s");
        List<Thread> runs = new CopyOnWriteArrayList<>();
        // serial, no executor: the listener runs on the container's thread
        ListenerEndpoint endpoint = RowListeners.endpoint("app", "s", "*.*", event -> runs.add(Thread.currentThread()));
        CanalListenerContainer container = new CanalListenerContainer(source, List.of(endpoint),
                ContainerSettings.defaults());
        Events events = new Events("s");
        container.start();
        source.awaitAcked(source.offer(events.insert(Events.ORDERS, Events.order(1, "A-1", "1.00", 1))));
        container.stop();
        Thread endedRun = runs.get(0);

        container.start();
        container.abortInFlight(endedRun);
        ChangeBatch afterRestart = source.offer(events.insert(Events.ORDERS, Events.order(2, "A-2", "2.00", 1)));
        source.awaitAcked(afterRestart);
        assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
        assertThat(runs).hasSize(2);
        assertThat(runs.get(1)).isNotSameAs(endedRun);
        container.stop();
    }
}
