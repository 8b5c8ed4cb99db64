package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.ha.HaEngine;
import dev.canalboot.ha.ZooKeeperHaEngine;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * ZooKeeper for {@code ha.mode=zookeeper} and {@code canal.checkpoint.store=zookeeper}: on the application's own
 * CuratorFramework bean when it has one, else on a client of {@code canal.ha.zookeeper.*}; the election engine
 * shares the ZooKeeper checkpoint store's client when there is one. Touches Curator's classes only after the class
 * path was checked.
 */
final class ZooKeeperEngines {

    private ZooKeeperEngines() {
    }

    static HaEngine create(HaSources sources, String source, CanalHaProperties properties, BeanFactory beanFactory,
                           ClassLoader classLoader, CheckpointStore store) {
        String property = sources.modeProperty(source);
        Use use = new Use(property, "Source '" + source + "' has " + property + "=zookeeper",
                "set " + property + " to jdbc or none", "source '" + source + "' elects its reader there");
        requireCurator(use, classLoader);
        return Curator.engine(use, properties, beanFactory, store);
    }

    /** The store of {@code canal.checkpoint.store=zookeeper}. */
    static CheckpointStore checkpointStore(CanalHaProperties properties, BeanFactory beanFactory,
                                           ClassLoader classLoader) {
        Use use = new Use("canal.checkpoint.store", "canal.checkpoint.store is zookeeper",
                "set canal.checkpoint.store to jdbc or file", "the checkpoints are kept there");
        requireCurator(use, classLoader);
        return Curator.store(use, properties, beanFactory);
    }

    /** Who needs ZooKeeper, for the messages: its property, why, the way around it, what ZooKeeper is for. */
    private record Use(String property, String why, String alternative, String purpose) {
    }

    private static void requireCurator(Use use, ClassLoader classLoader) {
        if (!ClassUtils.isPresent(CanalHaAutoConfiguration.CURATOR_RECIPES, classLoader)) {
            throw new InvalidCanalConfigurationException(use.property(), use.why()
                    + " but Apache Curator is not on the class path.",
                    "Add the dependency org.apache.curator:curator-recipes, or " + use.alternative() + ".");
        }
    }

    /** Nested so that its Curator references load only when called. */
    private static final class Curator {

        static HaEngine engine(Use use, CanalHaProperties properties, BeanFactory beanFactory, CheckpointStore store) {
            CanalHaProperties.Zookeeper zk = properties.getZookeeper();
            if (store instanceof dev.canalboot.checkpoint.ZooKeeperCheckpointStore zkStore) {
                return new ZooKeeperHaEngine(zkStore.client(), zk.getRoot(), zk.getSessionTimeout(), false);
            }
            org.apache.curator.framework.CuratorFramework own = ownClient(beanFactory);
            if (own != null) {
                return new ZooKeeperHaEngine(own, zk.getRoot(), zk.getSessionTimeout(), false);
            }
            return new ZooKeeperHaEngine(connect(use, zk), zk.getRoot(), zk.getSessionTimeout(), true);
        }

        static CheckpointStore store(Use use, CanalHaProperties properties, BeanFactory beanFactory) {
            CanalHaProperties.Zookeeper zk = properties.getZookeeper();
            org.apache.curator.framework.CuratorFramework own = ownClient(beanFactory);
            return own != null ? new dev.canalboot.checkpoint.ZooKeeperCheckpointStore(own, zk.getRoot(), false)
                    : new dev.canalboot.checkpoint.ZooKeeperCheckpointStore(connect(use, zk), zk.getRoot(), true);
        }

        private static org.apache.curator.framework.CuratorFramework ownClient(BeanFactory beanFactory) {
            return beanFactory.getBeanProvider(org.apache.curator.framework.CuratorFramework.class).getIfUnique();
        }

        /** A started client of {@code canal.ha.zookeeper.*}, connected within the connection timeout. */
        private static org.apache.curator.framework.CuratorFramework connect(Use use, CanalHaProperties.Zookeeper zk) {
            if (zk.getConnectString() == null || zk.getConnectString().isBlank()) {
                throw new InvalidCanalConfigurationException("canal.ha.zookeeper.connect-string", use.why()
                        + " but canal.ha.zookeeper.connect-string is not set (and there is no CuratorFramework bean).",
                        "Set canal.ha.zookeeper.connect-string to the ZooKeeper ensemble (host:port[,host:port...]).");
            }
            Duration connectionTimeout = zk.getConnectionTimeout();
            org.apache.curator.framework.CuratorFramework client = org.apache.curator.framework.CuratorFrameworkFactory
                    .builder().connectString(zk.getConnectString())
                    .sessionTimeoutMs((int) zk.getSessionTimeout().toMillis())
                    .connectionTimeoutMs((int) connectionTimeout.toMillis())
                    .retryPolicy(new org.apache.curator.retry.ExponentialBackoffRetry(200, 10, 2000))
                    .build();
            client.start();
            boolean connected;
            try {
                connected = client.blockUntilConnected((int) connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connected = false;
            }
            if (!connected) {
                client.close();
                throw new InvalidCanalConfigurationException("canal.ha.zookeeper.connect-string",
                        "ZooKeeper at '" + zk.getConnectString() + "' (canal.ha.zookeeper.connect-string) could not be"
                                + " reached within " + connectionTimeout + " (canal.ha.zookeeper.connection-timeout);"
                                + " " + use.purpose() + ".",
                        "Start ZooKeeper or correct canal.ha.zookeeper.connect-string, or " + use.alternative() + ".");
            }
            return client;
        }
    }
}
