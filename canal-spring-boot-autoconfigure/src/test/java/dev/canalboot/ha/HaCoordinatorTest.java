package dev.canalboot.ha;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.StaleEpochException;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.RowListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which sources take part in elections, on which engine, and how the coordinator ends them. */
class HaCoordinatorTest {

    /** An engine whose elections the test drives. */
    static final class FakeEngine implements HaEngine {
        final SourceLeadershipTest.InMemoryEpochs epochs = new SourceLeadershipTest.InMemoryEpochs();
        final Map<String, SourceLeadershipTest.FakeElection> elections = new ConcurrentHashMap<>();
        final Map<String, ElectionListener> listeners = new ConcurrentHashMap<>();
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public EpochSource epochs() {
            return epochs;
        }

        @Override
        public LeaderElection election(String source, String instanceId, ElectionListener listener) {
            SourceLeadershipTest.FakeElection election = new SourceLeadershipTest.FakeElection(Duration.ofMinutes(1));
            elections.put(source, election);
            listeners.put(source, listener);
            return election;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    private final CanalListenerEndpointRegistry registry = new CanalListenerEndpointRegistry();
    private final FakeEngine jdbc = new FakeEngine();
    private final FakeEngine zookeeper = new FakeEngine();
    private final LeaderFencedCheckpointStoreTest.InMemoryFencedStore fenced =
            new LeaderFencedCheckpointStoreTest.InMemoryFencedStore();
    private final LeaderFencedCheckpointStore store = new LeaderFencedCheckpointStore(fenced, Set.of("a"));
    private HaCoordinator coordinator;

    HaCoordinatorTest() {
        registry.createContainers(List.of(endpoint("a"), endpoint("b"), endpoint("plain")),
                List.of(new InMemoryChangeSource("a"), new InMemoryChangeSource("b"),
                        new InMemoryChangeSource("plain"), new InMemoryChangeSource("unlistened")),
                ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(20))
                        .withShutdownTimeout(Duration.ofSeconds(2)));
        coordinator = new HaCoordinator(registry, Map.of("a", HaMode.JDBC, "b", HaMode.ZOOKEEPER,
                "unlistened", HaMode.JDBC), "i1", Map.of(HaMode.JDBC, jdbc, HaMode.ZOOKEEPER, zookeeper), store);
    }

    @AfterEach
    void stop() {
        coordinator.stop();
        registry.destroy();
    }

    private static ListenerEndpoint endpoint(String source) {
        return RowListeners.endpoint(source, source, "*.*", event -> {
        });
    }

    @Test
    void eachSourceWithHighAvailabilityAndListenersJoinsAnElectionOnItsEngine() {
        coordinator.start();
        assertThat(coordinator.isRunning()).isTrue();
        assertThat(coordinator.getLeaderships()).as("a source without listener takes part in no election")
                .containsOnlyKeys("a", "b");
        assertThat(jdbc.elections).containsOnlyKeys("a");
        assertThat(zookeeper.elections).containsOnlyKeys("b");
        assertThat(jdbc.elections.get("a").starts).hasValue(1);
        SourceLeadership a = coordinator.getLeaderships().get("a");
        assertThat(a.getMode()).isEqualTo(HaMode.JDBC);
        assertThat(a.getInstanceId()).isEqualTo("i1");
        assertThat(coordinator.getLeaderships().get("b").getMode()).isEqualTo(HaMode.ZOOKEEPER);
        assertThat(coordinator.getInstanceId()).isEqualTo("i1");

        coordinator.start(); // running: no second election
        assertThat(jdbc.elections.get("a").starts).hasValue(1);
        assertThatThrownBy(() -> coordinator.getLeaderships().put("x", a))
                .as("a copy for the actuator").isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theLookupFindsLeadershipsOfElectedSourcesOnly() {
        var lookup = HaCoordinator.lookup(() -> coordinator);
        assertThat(lookup.apply("a")).as("not started yet").isNull();
        coordinator.start();
        assertThat(lookup.apply("a")).isSameAs(coordinator.getLeaderships().get("a"));
        assertThat(lookup.apply("plain")).isNull();
        assertThat(HaCoordinator.lookup(() -> null).apply("a")).as("no coordinator bean").isNull();
    }

    @Test
    void aCheckpointWriteTheStoreRefusesDeposesTheSourcesLeader() {
        coordinator.start();
        jdbc.elections.get("a").lease.renewed(System.nanoTime());
        jdbc.listeners.get("a").elected();
        SourceLeadership a = coordinator.getLeaderships().get("a");
        await(() -> a.getRole() == HaRole.LEADER, "a leads");

        fenced.fence("a", 9); // another instance took over
        assertThatThrownBy(() -> store.save(new Checkpoint("a", "binlog.000001", 4, null, Instant.EPOCH)))
                .isInstanceOf(StaleEpochException.class);
        await(() -> a.getRole() == HaRole.STANDBY && jdbc.elections.get("a").yields.get() == 1,
                "a stepped down and yielded its election");
    }

    @Test
    void stopStopsTheLeadersContainersThenLeavesTheElectionsAndClosesTheEngines() {
        coordinator.start();
        jdbc.elections.get("a").lease.renewed(System.nanoTime());
        jdbc.listeners.get("a").elected();
        await(() -> registry.getListenerContainer("a").getState() == ContainerState.RUNNING, "a's container runs");

        coordinator.stop();
        assertThat(coordinator.isRunning()).isFalse();
        assertThat(registry.getListenerContainer("a").getState()).isEqualTo(ContainerState.STOPPED);
        assertThat(jdbc.elections.get("a").closes).hasValue(1);
        assertThat(zookeeper.elections.get("b").closes).hasValue(1);
        assertThat(jdbc.closes).hasValue(1);
        assertThat(zookeeper.closes).hasValue(1);
        assertThat(coordinator.getPhase()).isEqualTo(registry.getPhase());
    }
}
