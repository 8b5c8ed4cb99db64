package dev.canalboot.autoconfigure;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Ranks the LAGGING health status of sources between OUT_OF_SERVICE and UP, so that a lagging source
 * makes the {@code canal} composite and the overall health LAGGING rather than UP (an unranked status
 * would sort last). A default only: an application that sets
 * {@code management.endpoint.health.status.order} keeps its own order. LAGGING maps to HTTP 200 like
 * UP unless {@code management.endpoint.health.status.http-mapping.lagging} says otherwise.
 */
public class LaggingStatusEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String ORDER_PROPERTY = "management.endpoint.health.status.order";
    static final String DEFAULT_ORDER = "DOWN,OUT_OF_SERVICE,LAGGING,UP,UNKNOWN";
    static final String PROPERTY_SOURCE_NAME = "canalHealthStatusDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            // Added last: every configured source of properties wins over it.
            environment.getPropertySources().addLast(
                    new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(ORDER_PROPERTY, DEFAULT_ORDER)));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
