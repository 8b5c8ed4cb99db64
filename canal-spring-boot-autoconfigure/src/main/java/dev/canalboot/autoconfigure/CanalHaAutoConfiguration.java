package dev.canalboot.autoconfigure;

import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FencedCheckpointStore;
import dev.canalboot.ha.HaCoordinator;
import dev.canalboot.ha.HaEngine;
import dev.canalboot.ha.HaMode;
import dev.canalboot.ha.LeaderFencedCheckpointStore;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * High availability, when a source sets {@code ha.mode}: its container starts only in the instance its election
 * chose, binlog sources write their checkpoints with the leader's epoch, and a deposed leader stops at once. A
 * missing piece (no DataSource or spring-integration-jdbc for {@code jdbc}, no Curator or connect string or no
 * reachable ZooKeeper for {@code zookeeper}, a checkpoint store that cannot fence) fails start-up naming the
 * property and the fix.
 */
@AutoConfiguration(after = CanalAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
@Conditional(CanalHaAutoConfiguration.OnHaSourcesCondition.class)
@EnableConfigurationProperties(CanalHaProperties.class)
public class CanalHaAutoConfiguration {

    static final String SPRING_INTEGRATION_JDBC = "org.springframework.integration.jdbc.lock.DefaultLockRepository";
    static final String CURATOR_RECIPES = "org.apache.curator.framework.recipes.leader.LeaderLatch";

    @Bean
    HaSources canalHaSources(CanalProperties properties) {
        return HaSources.of(properties);
    }

    /** Containers of sources under high availability start when elected, not with the context. */
    @Bean
    ContainerSettingsCustomizer canalHaContainerSettingsCustomizer(HaSources sources) {
        return (sourceName, settings) -> sources.modes().containsKey(sourceName)
                ? settings.withAutoStartup(false) : settings;
    }

    /**
     * The checkpoint store binlog sources under high availability write through: the store's own when no
     * binlog source is under high availability (a holder, so that it never competes with the CheckpointStore bean).
     */
    @Bean
    HaCheckpointStore canalHaCheckpointStore(HaSources sources, ObjectProvider<CheckpointStore> store) {
        CheckpointStore plain = store.getIfUnique();
        if (sources.binlogSources().isEmpty()) {
            return new HaCheckpointStore(plain, null);
        }
        String source = sources.binlogSources().iterator().next();
        if (!(plain instanceof FencedCheckpointStore fenced)) {
            throw new InvalidCanalConfigurationException("canal.checkpoint.store", "Binlog source '" + source
                    + "' has " + sources.modeProperty(source) + "=" + sources.modes().get(source).name().toLowerCase()
                    + " but its checkpoints are kept in " + (plain == null ? "no store" : plain.getClass().getSimpleName())
                    + ", which cannot refuse the writes of a deposed leader (and a new leader on another host could"
                    + " not read them).",
                    "Set canal.checkpoint.store=jdbc (a table in the application's DataSource, shared by all instances)"
                            + " or zookeeper (nodes in the ensemble of canal.ha.zookeeper.connect-string), or set "
                            + sources.modeProperty(source) + "=none.");
        }
        return new HaCheckpointStore(plain, new LeaderFencedCheckpointStore(fenced, sources.binlogSources()));
    }

    /** Binlog sources created with the fenced store; ordered first, so it wins over the plain binlog factory. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ChangeSourceFactory canalHaBinlogSourceFactory(HaCheckpointStore store) {
        CheckpointStore effective = store.effective();
        return new BinlogSourceFactory(new ObjectProvider<>() {
            @Override
            public CheckpointStore getObject() {
                return effective;
            }

            @Override
            public CheckpointStore getIfAvailable() {
                return effective;
            }

            @Override
            public CheckpointStore getIfUnique() {
                return effective;
            }
        });
    }

    @Bean
    HaCoordinator canalHaCoordinator(CanalListenerEndpointRegistry registry, HaSources sources,
                                     CanalHaProperties properties, HaCheckpointStore store,
                                     ObjectProvider<DataSource> dataSource,
                                     ObjectProvider<org.springframework.beans.factory.BeanFactory> beanFactory) {
        org.springframework.beans.factory.BeanFactory factory = beanFactory.getObject();
        // The application's class loader, as conditions see it (not necessarily this class's)
        ClassLoader classLoader = factory instanceof org.springframework.beans.factory.config.ConfigurableBeanFactory c
                && c.getBeanClassLoader() != null ? c.getBeanClassLoader() : CanalHaAutoConfiguration.class.getClassLoader();
        String instanceId = properties.getInstanceId() != null && !properties.getInstanceId().isBlank()
                ? properties.getInstanceId() : defaultInstanceId();
        Map<HaMode, HaEngine> engines = new EnumMap<>(HaMode.class);
        String jdbcSource = sources.firstWith(HaMode.JDBC);
        if (jdbcSource != null) {
            engines.put(HaMode.JDBC, jdbcEngine(sources, jdbcSource, properties, dataSource, instanceId, classLoader));
        }
        String zkSource = sources.firstWith(HaMode.ZOOKEEPER);
        if (zkSource != null) {
            engines.put(HaMode.ZOOKEEPER, ZooKeeperEngines.create(sources, zkSource, properties, factory,
                    classLoader, store.plain()));
        }
        return new HaCoordinator(registry, sources.modes(), instanceId, engines, store.fenced());
    }

    /** Meters of each source under high availability, when Micrometer is present (bound to every registry). */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnClass(
            name = "io.micrometer.core.instrument.binder.MeterBinder")
    static class HaMetricsConfiguration {

        @Bean
        dev.canalboot.actuate.CanalHaMetrics canalHaMetrics(HaSources sources, ObjectProvider<HaCoordinator> ha) {
            Map<String, String> modes = new java.util.LinkedHashMap<>();
            sources.modes().forEach((source, mode) -> modes.put(source, mode.name().toLowerCase()));
            return new dev.canalboot.actuate.CanalHaMetrics(modes, HaCoordinator.lookup(ha::getIfAvailable));
        }
    }

    private static HaEngine jdbcEngine(HaSources sources, String source, CanalHaProperties properties,
                                       ObjectProvider<DataSource> dataSource, String instanceId,
                                       ClassLoader classLoader) {
        String property = sources.modeProperty(source);
        if (!ClassUtils.isPresent(SPRING_INTEGRATION_JDBC, classLoader)) {
            throw new InvalidCanalConfigurationException(property, "Source '" + source + "' has " + property
                    + "=jdbc but Spring Integration's JDBC lock registry is not on the class path.",
                    "Add the dependency org.springframework.integration:spring-integration-jdbc, or set " + property
                            + " to zookeeper or none.");
        }
        DataSource ds = dataSource.getIfUnique();
        if (ds == null) {
            throw new InvalidCanalConfigurationException(property, "Source '" + source + "' has " + property
                    + "=jdbc but there is no single DataSource bean to elect its reader in.",
                    "Configure a DataSource (spring.datasource.url with a JDBC driver on the class path), or set "
                            + property + " to zookeeper or none.");
        }
        if (properties.getJdbc().getLease() == null || properties.getJdbc().getLease().toMillis() < 200) {
            throw new InvalidCanalConfigurationException("canal.ha.jdbc.lease", "canal.ha.jdbc.lease is "
                    + properties.getJdbc().getLease() + "; a leader renews its lock every fifth of it.",
                    "Set canal.ha.jdbc.lease to 200ms or more (10s by default).");
        }
        return JdbcEngines.create(ds, properties, instanceId);
    }

    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        // The random part keeps two contexts of one JVM (or a reused pid) apart.
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The store binlog sources get, and the fenced view of it when a binlog source is under high availability. */
    record HaCheckpointStore(CheckpointStore plain, LeaderFencedCheckpointStore fenced) {

        CheckpointStore effective() {
            return fenced != null ? fenced : plain;
        }
    }

    /** Matches when a configured source sets ha.mode to something else than none. */
    static class OnHaSourcesCondition extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            HaSources sources = HaSources.of(context.getEnvironment());
            return sources.isEmpty() ? ConditionOutcome.noMatch("no source sets ha.mode")
                    : ConditionOutcome.match("sources " + sources.modes() + " set ha.mode");
        }
    }
}
