package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.CanalMetrics;
import dev.canalboot.actuate.SourceMonitors;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The canal.* Micrometer meters, when Micrometer and a MeterRegistry are present. */
@AutoConfiguration(after = CanalMonitoringAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, SourceMonitors.class})
@ConditionalOnBooleanProperty(name = "canal.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CanalMetricsProperties.class)
public class CanalMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CanalMetrics canalMetrics(MeterRegistry registry, SourceMonitors monitors, CanalMetricsProperties properties) {
        if (properties.getMaxTables() < 0) {
            throw new InvalidCanalConfigurationException("canal.metrics.max-tables",
                    "canal.metrics.max-tables is " + properties.getMaxTables() + "; it must not be negative.",
                    "Set canal.metrics.max-tables to 0 or more (0 tags every table as 'other').");
        }
        return new CanalMetrics(registry, monitors, properties.getMaxTables());
    }
}
