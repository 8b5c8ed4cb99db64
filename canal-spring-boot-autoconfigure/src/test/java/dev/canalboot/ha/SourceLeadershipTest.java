package dev.canalboot.ha;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.StaleEpochException;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.RowListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One source's role under high availability, driven by a hand-made election and epoch source over a real
 * container and an in-memory source: the container runs only while this instance leads, with a fresh epoch.
 */
class SourceLeadershipTest {

    /** An election the test drives: it calls the listener and renews the lease. */
    static final class FakeElection implements LeaderElection {
        final Lease lease;
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger yields = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        FakeElection(Duration lease) {
            this.lease = new Lease(lease);
        }

        @Override
        public void start() {
            starts.incrementAndGet();
        }

        @Override
        public void yieldLeadership() {
            yields.incrementAndGet();
        }

        @Override
        public Lease lease() {
            return lease;
        }

        @Override
        public String describe() {
            return "fake election";
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            lease.end();
        }
    }

    /** Epochs in memory; {@link #failNext} makes the next claim throw. */
    static final class InMemoryEpochs implements EpochSource {
        final Map<String, Epoch> epochs = new ConcurrentHashMap<>();
        volatile RuntimeException failNext;

        @Override
        public Epoch next(String source, String holder) {
            RuntimeException failure = failNext;
            if (failure != null) {
                failNext = null;
                throw failure;
            }
            return epochs.compute(source, (s, last) -> new Epoch(last == null ? 1 : last.value() + 1, holder,
                    Instant.now()));
        }

        @Override
        public Optional<Epoch> current(String source) {
            return Optional.ofNullable(epochs.get(source));
        }
    }

    private final Events events = new Events("s");
    private final InMemoryChangeSource source = new InMemoryChangeSource("s");
    private final List<Long> delivered = new CopyOnWriteArrayList<>();
    private final CanalListenerContainer container = new CanalListenerContainer(source, List.of(
            RowListeners.endpoint("e", "s", "shop.*", event -> delivered.add(((RowChange) event).row().getLong("id")))),
            ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(20)).withShutdownTimeout(Duration.ofSeconds(2)));
    private final InMemoryEpochs epochs = new InMemoryEpochs();
    private final LeaderFencedCheckpointStoreTest.InMemoryFencedStore fenced =
            new LeaderFencedCheckpointStoreTest.InMemoryFencedStore();
    private final LeaderFencedCheckpointStore store = new LeaderFencedCheckpointStore(fenced, Set.of("s"));
    private final SourceLeadership leadership = new SourceLeadership("s", "i1", HaMode.JDBC, container, epochs, store);
    private FakeElection election = new FakeElection(Duration.ofMinutes(1));

    @AfterEach
    void stop() {
        leadership.stop();
        container.stop();
    }

    private void elect() {
        election.lease.renewed(System.nanoTime());
        leadership.listener().elected();
        await(() -> leadership.getRole() == HaRole.LEADER && container.getState() == ContainerState.RUNNING,
                "leader with a running container");
    }

    private void deliverOne(long id) {
        ChangeBatch batch = source.offer(events.insert(ORDERS, order(id, "A", "1.00", 1)));
        source.awaitAcked(batch);
    }

    private void save() {
        store.save(new Checkpoint("s", "binlog.000001", 4, null, Instant.EPOCH));
    }

    @Test
    void itStandsByUntilElected() {
        leadership.start(election);
        assertThat(election.starts).hasValue(1);
        assertThat(leadership.getRole()).isEqualTo(HaRole.STANDBY);
        assertThat(leadership.getEpoch()).isNull();
        assertThat(leadership.getLeader()).isEmpty();
        assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
        assertThat(leadership.describeElection()).isEqualTo("fake election");
        assertThat(leadership.getTimeAsLeader()).isZero();
        assertThatThrownBy(this::save).as("no checkpoint write without the leadership")
                .isInstanceOf(StaleEpochException.class);
    }

    @Test
    void electedItClaimsTheNextEpochFencesTheStoreAndDelivers() {
        epochs.epochs.put("s", new Epoch(4, "other", Instant.EPOCH));
        leadership.start(election);
        assertThat(leadership.getLeader()).hasValueSatisfying(e -> assertThat(e.holder()).isEqualTo("other"));
        elect();
        assertThat(leadership.getEpoch()).satisfies(e -> {
            assertThat(e.value()).isEqualTo(5);
            assertThat(e.holder()).isEqualTo("i1");
        });
        assertThat(leadership.getLeader()).hasValue(leadership.getEpoch());
        assertThat(fenced.fences).containsEntry("s", 5L);
        assertThat(leadership.getElections()).isEqualTo(1);
        deliverOne(1);
        assertThat(delivered).containsExactly(1L);
        save();
        assertThat(fenced.writes).containsExactly("s@5");
    }

    @Test
    void deposedItStopsTheContainerAndWritesNoMoreCheckpoints() throws Exception {
        leadership.start(election);
        elect();
        Thread.sleep(20);
        leadership.listener().deposed("lost the lock");
        await(() -> leadership.getRole() == HaRole.STANDBY, "standby");
        await(() -> container.getState() == ContainerState.STOPPED, "container stopped");
        assertThat(leadership.getEpoch()).isNull();
        assertThat(leadership.getTimeAsLeader()).isPositive();
        assertThatThrownBy(this::save).isInstanceOf(StaleEpochException.class);
        assertThat(election.yields).as("the engine deposed it: nothing to yield").hasValue(0);

        elect(); // elected again: a new term with a new epoch
        assertThat(leadership.getEpoch().value()).isEqualTo(2);
        assertThat(leadership.getElections()).isEqualTo(2);
    }

    @Test
    void aLeaseThatRanOutStopsDeliveryBeforeTheNextBatchAndYields() {
        election = new FakeElection(Duration.ofMillis(250)); // relied on for 200 ms
        leadership.start(election);
        elect();
        await(() -> !election.lease.valid(), "the lease ran out (no renewal)");
        ChangeBatch batch = source.offer(events.insert(ORDERS, order(1, "A", "1.00", 1)));
        source.awaitRolledBack(batch);
        assertThat(delivered).isEmpty();
        await(() -> leadership.getRole() == HaRole.STANDBY && election.yields.get() == 1, "standby, yielded");
        assertThat(source.acked()).isEmpty();
    }

    @Test
    void aCheckpointWriteTheStoreRefusesMakesItStepDownAndYield() {
        leadership.start(election);
        elect();
        StaleEpochException refused = new StaleEpochException("s", 1, 2, "the store");
        leadership.refused(refused);
        await(() -> leadership.getRole() == HaRole.STANDBY && election.yields.get() == 1, "standby, yielded");
        assertThat(container.getState()).isNotEqualTo(ContainerState.RUNNING);
    }

    @Test
    void anEpochThatCannotBeClaimedLeavesItStandingByAndYields() {
        epochs.failNext = new IllegalStateException("epoch table unreachable");
        leadership.start(election);
        election.lease.renewed(System.nanoTime());
        leadership.listener().elected();
        await(() -> election.yields.get() == 1, "yielded");
        assertThat(leadership.getRole()).isEqualTo(HaRole.STANDBY);
        assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
        assertThat(leadership.getElections()).isZero();
    }

    @Test
    void stopStopsTheContainerAndLeavesTheElection() {
        leadership.start(election);
        elect();
        leadership.stop();
        assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
        assertThat(election.closes).hasValue(1);
    }
}
