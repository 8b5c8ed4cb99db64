package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.ZooKeeperCheckpointStore;
import dev.canalboot.ha.HaCoordinator;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.Row;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** canal.checkpoint.store=zookeeper: the store on canal.ha.zookeeper.*, shared with ha.mode=zookeeper, or a clear failure. */
class CanalZooKeeperCheckpointAutoConfigurationIT {

    private static TestingServer zooKeeper;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class,
                    CanalZooKeeperCheckpointAutoConfiguration.class, CanalHaAutoConfiguration.class))
            .withPropertyValues("canal.sources.orders.username=u", "canal.sources.orders.password=p",
                    "canal.sources.orders.host=localhost", "canal.checkpoint.store=zookeeper");

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zooKeeper = new TestingServer(true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zooKeeper.close();
    }

    @Test
    void theStoreKeepsCheckpointsUnderTheRootAndClosesItsClientWithTheContext() {
        AtomicReference<ZooKeeperCheckpointStore> store = new AtomicReference<>();
        runner.withPropertyValues("canal.ha.zookeeper.connect-string=" + zooKeeper.getConnectString(),
                "canal.ha.zookeeper.root=/apps/shop").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(CheckpointStore.class)).isInstanceOf(ZooKeeperCheckpointStore.class);
            store.set((ZooKeeperCheckpointStore) context.getBean(CheckpointStore.class));
            store.get().save(new Checkpoint("orders", "binlog.000001", 4, null, Instant.now()));
            assertThat(store.get().client().checkExists().forPath("/apps/shop/orders/checkpoint")).isNotNull();
        });
        assertThat(store.get().client().getState().name()).isEqualTo("STOPPED");
    }

    @Test
    void aBinlogSourceUnderZooKeeperHaSharesTheStoresClient() {
        runner.withUserConfiguration(Listener.class)
                .withPropertyValues("canal.ha.zookeeper.connect-string=" + zooKeeper.getConnectString(),
                "canal.sources.orders.ha.mode=zookeeper", "canal.ha.instance-id=a").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(HaCoordinator.class);
            assertThat(context.getBean(CheckpointStore.class)).isInstanceOf(ZooKeeperCheckpointStore.class);
            ZooKeeperCheckpointStore store = (ZooKeeperCheckpointStore) context.getBean(CheckpointStore.class);
            // the one client of the context holds the latch: no second session
            long deadline = System.currentTimeMillis() + 30_000;
            while (store.client().checkExists().forPath("/canal-spring-boot/orders/leader") == null
                    || store.client().getChildren().forPath("/canal-spring-boot/orders/leader").isEmpty()) {
                assertThat(System.currentTimeMillis()).as("the latch node appears").isLessThan(deadline);
                Thread.sleep(50);
            }
            long latchSession = store.client().checkExists().forPath("/canal-spring-boot/orders/leader/"
                    + store.client().getChildren().forPath("/canal-spring-boot/orders/leader").get(0)).getEphemeralOwner();
            assertThat(latchSession).isEqualTo(store.client().getZookeeperClient().getZooKeeper().getSessionId());
        });
    }

    /** A source without listeners takes part in no election. */
    static class Listener {
        @CanalListener(table = "shop.orders")
        void onRow(Row row) {
        }
    }

    @Test
    void withoutAConnectStringStartUpAsksForIt() {
        runner.run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'canal.ha.zookeeper.connect-string'")
                    .contains("canal.checkpoint.store is zookeeper");
            assertThat(analysis.getAction()).contains("Set canal.ha.zookeeper.connect-string");
        });
    }

    @Test
    void withoutCuratorStartUpNamesTheDependency() {
        runner.withClassLoader(new FilteredClassLoader("org.apache.curator")).run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'canal.checkpoint.store'").contains("Apache Curator");
            assertThat(analysis.getAction()).contains("org.apache.curator:curator-recipes")
                    .contains("canal.checkpoint.store to jdbc or file");
        });
    }

    @Test
    void anUnreachableEnsembleFailsStartUpNamingTheConnectString() {
        runner.withPropertyValues("canal.ha.zookeeper.connect-string=127.0.0.1:1",
                "canal.ha.zookeeper.connection-timeout=500ms").run(context -> {
            FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("could not be reached")
                    .contains("the checkpoints are kept there");
        });
    }
}
