package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.SourceMonitors;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerObserver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * What metrics, health and the actuator endpoint share: a {@link SourceMonitors} per application (lag,
 * connection tracking). Being a {@link ContainerObserver}, it reaches the listener containers through
 * {@link CanalAutoConfiguration}'s container settings, like every other observer bean.
 */
@AutoConfiguration(after = CanalAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "canal.enabled", matchIfMissing = true)
public class CanalMonitoringAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SourceMonitors canalSourceMonitors(ObjectProvider<CanalListenerEndpointRegistry> registry) {
        return new SourceMonitors(registry::getIfAvailable, Clock.systemUTC());
    }
}
