package dev.canalboot.autoconfigure;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.source.ChangeSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Snapshots of binlog sources (README, Snapshots): each source learns the tables its listeners match (what it
 * snapshots when {@code snapshot.tables} is empty), and with Micrometer its snapshots' progress becomes meters.
 */
@AutoConfiguration(after = CanalAutoConfiguration.class, afterName = {
        "dev.canalboot.autoconfigure.CanalMetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
public class CanalSnapshotAutoConfiguration {

    @Bean
    SnapshotListenedTables canalSnapshotListenedTables(ObjectProvider<ChangeSource> sources,
                                                       ObjectProvider<CanalListenerEndpointRegistry> registry) {
        return new SnapshotListenedTables(sources, registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    @ConditionalOnBooleanProperty(name = "canal.metrics.enabled", matchIfMissing = true)
    static class SnapshotMetricsConfiguration {

        @Bean
        @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
        SnapshotMeters canalSnapshotMeters(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry,
                                           ObjectProvider<ChangeSource> sources,
                                           ObjectProvider<CanalMetricsProperties> metrics) {
            CanalMetricsProperties properties = metrics.getIfAvailable();
            return new SnapshotMeters(registry.getObject(), sources,
                    properties == null ? new CanalMetricsProperties().getMaxTables() : properties.getMaxTables());
        }
    }
}
