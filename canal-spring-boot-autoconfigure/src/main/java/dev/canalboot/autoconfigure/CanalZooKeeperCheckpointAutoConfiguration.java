package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.CheckpointStore;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@code canal.checkpoint.store=zookeeper}: checkpoints in the ZooKeeper ensemble of {@code canal.ha.zookeeper.*}
 * (or on the application's CuratorFramework bean), fenced for high availability. Without Curator, a connect string
 * or a reachable ensemble, start-up fails naming the property and the fix.
 */
@AutoConfiguration(after = CanalAutoConfiguration.class, before = CanalHaAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "canal.checkpoint.store", havingValue = "zookeeper")
@EnableConfigurationProperties(CanalHaProperties.class)
public class CanalZooKeeperCheckpointAutoConfiguration {

    /** Closed with the context when it made its own client (not the application's CuratorFramework bean). */
    @Bean
    @ConditionalOnMissingBean(CheckpointStore.class)
    CheckpointStore canalZooKeeperCheckpointStore(CanalHaProperties properties, BeanFactory beanFactory) {
        ClassLoader classLoader = beanFactory instanceof ConfigurableBeanFactory c && c.getBeanClassLoader() != null
                ? c.getBeanClassLoader() : CanalZooKeeperCheckpointAutoConfiguration.class.getClassLoader();
        return ZooKeeperEngines.checkpointStore(properties, beanFactory, classLoader);
    }
}
