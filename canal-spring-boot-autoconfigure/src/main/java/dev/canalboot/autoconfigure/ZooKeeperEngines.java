package dev.canalboot.autoconfigure;

import dev.canalboot.ha.HaEngine;
import dev.canalboot.ha.HaMode;
import dev.canalboot.ha.ZooKeeperHaEngine;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The ZooKeeper engine: on the application's own CuratorFramework bean when it has one, else on a client of
 * {@code canal.ha.zookeeper.*}. Touches Curator's classes only after the class path was checked.
 */
final class ZooKeeperEngines {

    private ZooKeeperEngines() {
    }

    static HaEngine create(HaSources sources, String source, CanalHaProperties properties, BeanFactory beanFactory,
                           ClassLoader classLoader) {
        String property = sources.modeProperty(source);
        if (!ClassUtils.isPresent(CanalHaAutoConfiguration.CURATOR_RECIPES, classLoader)) {
            throw new InvalidCanalConfigurationException(property, "Source '" + source + "' has " + property
                    + "=zookeeper but Apache Curator is not on the class path.",
                    "Add the dependency org.apache.curator:curator-recipes, or set " + property + " to jdbc or none.");
        }
        return Curator.engine(sources, source, properties, beanFactory);
    }

    /** Nested so that its Curator references load only when called. */
    private static final class Curator {

        static HaEngine engine(HaSources sources, String source, CanalHaProperties properties,
                               BeanFactory beanFactory) {
            CanalHaProperties.Zookeeper zk = properties.getZookeeper();
            org.apache.curator.framework.CuratorFramework own = beanFactory
                    .getBeanProvider(org.apache.curator.framework.CuratorFramework.class).getIfUnique();
            if (own != null) {
                return new ZooKeeperHaEngine(own, zk.getRoot(), zk.getSessionTimeout(), false);
            }
            if (zk.getConnectString() == null || zk.getConnectString().isBlank()) {
                throw new InvalidCanalConfigurationException("canal.ha.zookeeper.connect-string", "Source '" + source
                        + "' has " + sources.modeProperty(source) + "=" + HaMode.ZOOKEEPER.name().toLowerCase()
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
                                + " source '" + source + "' elects its reader there.",
                        "Start ZooKeeper or correct canal.ha.zookeeper.connect-string, or set "
                                + sources.modeProperty(source) + " to jdbc or none.");
            }
            return new ZooKeeperHaEngine(client, zk.getRoot(), zk.getSessionTimeout(), true);
        }
    }
}
