package dev.canalboot.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;


/**
 * Keeps source passwords ({@code canal.source.password}, {@code canal.sources.*.password}, trust and key store
 * passwords) masked in {@code /actuator/configprops} and {@code /actuator/env} even when
 * {@code show-values=always}, which otherwise shows every value: in whatever form they reach the environment
 * (see {@link CanalSecretsSanitizingFunction}). Active whenever Actuator is present, also with
 * {@code canal.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public class CanalCredentialsSanitizingAutoConfiguration {

    @Bean
    SanitizingFunction canalCredentialsSanitizingFunction(ConfigurableEnvironment environment) {
        return new CanalSecretsSanitizingFunction(environment);
    }
}
