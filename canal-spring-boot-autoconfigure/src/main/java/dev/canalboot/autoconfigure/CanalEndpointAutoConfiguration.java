package dev.canalboot.autoconfigure;

import dev.canalboot.ha.HaCoordinator;
import org.springframework.beans.factory.ObjectProvider;

import dev.canalboot.actuate.CanalEndpoint;
import dev.canalboot.actuate.SourceMonitors;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code canal} actuator endpoint. */
@AutoConfiguration(after = CanalMonitoringAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public class CanalEndpointAutoConfiguration {

    /** Nested: its condition class lives in the actuator-autoconfigure jar, checked by the outer condition. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
    static class CanalEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(SourceMonitors.class)
        @ConditionalOnAvailableEndpoint(CanalEndpoint.class)
        CanalEndpoint canalEndpoint(SourceMonitors monitors, ObjectProvider<HaCoordinator> ha) {
            return new CanalEndpoint(monitors).withLeaderships(HaCoordinator.lookup(ha::getIfAvailable));
        }
    }
}
