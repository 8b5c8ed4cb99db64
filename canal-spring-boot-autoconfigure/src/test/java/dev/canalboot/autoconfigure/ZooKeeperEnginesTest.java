package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.ZooKeeperCheckpointStore;
import dev.canalboot.ha.HaEngine;
import dev.canalboot.ha.HaMode;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which ZooKeeper client the election engine and the checkpoint store get (the application's, the store's, or one
 * of {@code canal.ha.zookeeper.*}), and the errors when there is none or Curator is missing. No ZooKeeper server:
 * the clients here are never started.
 */
class ZooKeeperEnginesTest {

    private static final ClassLoader WITHOUT_CURATOR = new ClassLoader(null) {
    };
    private static final HaSources ORDERS = new HaSources(Map.of("orders", HaMode.ZOOKEEPER), Set.of("orders"),
            Map.of("orders", "canal.sources.orders"));

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    private final CuratorFramework own = CuratorFrameworkFactory.newClient("127.0.0.1:1", new RetryOneTime(10));
    private final CanalHaProperties properties = new CanalHaProperties();
    private final ClassLoader classLoader = getClass().getClassLoader();

    @AfterEach
    void closeClient() {
        own.close();
    }

    @Test
    void withoutCuratorBothUsesFailNamingTheirPropertyAndTheWayAround() {
        assertThatThrownBy(() -> ZooKeeperEngines.create(ORDERS, "orders", properties, beans, WITHOUT_CURATOR, null))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.orders.ha.mode");
                    assertThat(e.getProblem()).isEqualTo("Source 'orders' has canal.sources.orders.ha.mode=zookeeper but"
                            + " Apache Curator is not on the class path.");
                    assertThat(e.getAction()).contains("org.apache.curator:curator-recipes")
                            .contains("set canal.sources.orders.ha.mode to jdbc or none");
                });
        assertThatThrownBy(() -> ZooKeeperEngines.checkpointStore(properties, beans, WITHOUT_CURATOR))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.checkpoint.store");
                    assertThat(e.getAction()).contains("set canal.checkpoint.store to jdbc or file");
                });
    }

    @Test
    void withoutConnectStringOrClientBeanBothFailNamingTheConnectString() {
        properties.getZookeeper().setConnectString(" ");

        assertThatThrownBy(() -> ZooKeeperEngines.create(ORDERS, "orders", properties, beans, classLoader, null))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.ha.zookeeper.connect-string");
                    assertThat(e.getProblem()).startsWith("Source 'orders' has canal.sources.orders.ha.mode=zookeeper")
                            .contains("no CuratorFramework bean");
                });
        assertThatThrownBy(() -> ZooKeeperEngines.checkpointStore(properties, beans, classLoader))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e ->
                        assertThat(e.getProblem()).startsWith("canal.checkpoint.store is zookeeper"));
    }

    @Test
    void theApplicationsClientServesBothAndIsNotClosedWithThem() throws Exception {
        beans.registerSingleton("curator", own);

        ZooKeeperCheckpointStore store = (ZooKeeperCheckpointStore) ZooKeeperEngines.checkpointStore(properties, beans,
                classLoader);
        HaEngine engine = ZooKeeperEngines.create(ORDERS, "orders", properties, beans, classLoader, null);

        assertThat(store.client()).isSameAs(own);
        engine.close();
        store.close();
        assertThat(own.getState()).as("the application's client is the application's to close")
                .isEqualTo(CuratorFrameworkState.LATENT);
    }

    @Test
    void theEngineSharesTheZooKeeperStoresClientWithoutConnectingOne() throws Exception {
        ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(own, "/cdc", false);

        // No connect string and no client bean: only the store's client can serve
        HaEngine engine = ZooKeeperEngines.create(ORDERS, "orders", properties, beans, classLoader, store);

        engine.close();
        assertThat(own.getState()).isEqualTo(CuratorFrameworkState.LATENT);
    }

    @Test
    void anUnreachableEnsembleFailsWithinTheConnectionTimeoutNamingBothProperties() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        properties.getZookeeper().setConnectString("127.0.0.1:" + closedPort);
        properties.getZookeeper().setConnectionTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> ZooKeeperEngines.checkpointStore(properties, beans, classLoader))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.ha.zookeeper.connect-string");
                    assertThat(e.getProblem()).contains("'127.0.0.1:" + closedPort + "'").contains("within PT0.3S")
                            .contains("canal.ha.zookeeper.connection-timeout").contains("the checkpoints are kept there");
                    assertThat(e.getAction()).contains("Start ZooKeeper");
                });
    }
}
