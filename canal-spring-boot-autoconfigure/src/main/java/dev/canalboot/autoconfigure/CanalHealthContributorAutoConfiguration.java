package dev.canalboot.autoconfigure;

import dev.canalboot.ha.HaCoordinator;
import org.springframework.beans.factory.ObjectProvider;

import dev.canalboot.actuate.CanalHealthContributor;
import dev.canalboot.actuate.SourceMonitors;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The {@code canal} health contributor (one child per source); {@code management.health.canal.enabled=false}
 * turns it off.
 */
@AutoConfiguration(after = CanalMonitoringAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
public class CanalHealthContributorAutoConfiguration {

    /** Nested: its condition class lives in the health jar, which the outer condition checked first. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(SourceMonitors.class)
    @ConditionalOnEnabledHealthIndicator("canal")
    @EnableConfigurationProperties(CanalHealthProperties.class)
    static class CanalHealthContributorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "canalHealthContributor")
        CanalHealthContributor canalHealthContributor(SourceMonitors monitors, CanalHealthProperties properties,
                                                      ObjectProvider<HaCoordinator> ha) {
            requirePositive(properties.getLagThreshold(), "canal.health.lag-threshold");
            requirePositive(properties.getDisconnectGracePeriod(), "canal.health.disconnect-grace-period");
            return new CanalHealthContributor(monitors, properties.getLagThreshold(),
                    properties.getDisconnectGracePeriod(), HaCoordinator.lookup(ha::getIfAvailable));
        }
    }

    private static void requirePositive(Duration value, String property) {
        if (value == null || value.isNegative()) {
            throw new InvalidCanalConfigurationException(property, property + " is " + value
                    + "; it must be zero or positive.", "Set " + property + " to a duration such as 30s.");
        }
    }
}
