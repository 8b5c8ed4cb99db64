package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.CanalListenerObservationConvention;
import dev.canalboot.actuate.CanalListenerObservations;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** An observation (span, timer) per listener call, when an ObservationRegistry bean exists. */
@AutoConfiguration(after = CanalAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = {"canal.enabled", "canal.metrics.observations"}, matchIfMissing = true)
public class CanalObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CanalListenerObservations canalListenerObservations(ObservationRegistry registry,
                                                        ObjectProvider<CanalListenerObservationConvention> convention) {
        return new CanalListenerObservations(registry, convention.getIfUnique());
    }
}
