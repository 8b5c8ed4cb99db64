package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.CanalEndpoint;
import dev.canalboot.actuate.CanalHealthContributor;
import dev.canalboot.actuate.CanalListenerObservations;
import dev.canalboot.actuate.CanalMetrics;
import dev.canalboot.actuate.SourceMonitors;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.RowChange;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class CanalObservabilityAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class,
                    CanalMonitoringAutoConfiguration.class, CanalMetricsAutoConfiguration.class,
                    CanalObservationAutoConfiguration.class, CanalHealthContributorAutoConfiguration.class,
                    CanalEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=canal")
            .withUserConfiguration(SourceAndListener.class);

    @Configuration(proxyBeanMethods = false)
    static class SourceAndListener {

        @Bean
        InMemoryChangeSource main() {
            return new InMemoryChangeSource("main");
        }

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    static class Listener {

        @CanalListener(table = "shop.orders")
        void on(RowChange change) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registries {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ObservationRegistry observationRegistry() {
            return ObservationRegistry.create();
        }
    }

    /** The application's own observers: they must be called too, in their order. */
    @Configuration(proxyBeanMethods = false)
    static class OwnObserver {

        static final List<String> STATE_CHANGES = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        ContainerObserver ownObserver() {
            return recording("own");
        }

        @Bean
        @Order(1)
        ContainerObserver firstObserver() {
            return recording("first");
        }

        private static ContainerObserver recording(String name) {
            return new ContainerObserver() {
                @Override
                public void stateChanged(String source, ContainerState from, ContainerState to) {
                    STATE_CHANGES.add(name);
                }
            };
        }
    }

    @Test
    void everythingWithMicrometerActuatorAndAnObservationRegistry() {
        OwnObserver.STATE_CHANGES.clear();
        runner.withUserConfiguration(Registries.class, OwnObserver.class).run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(SourceMonitors.class)
                    .hasSingleBean(CanalMetrics.class)
                    .hasSingleBean(CanalListenerObservations.class)
                    .hasSingleBean(CanalEndpoint.class)
                    .hasBean("canalHealthContributor");
            assertThat(context.getBean("canalHealthContributor")).isInstanceOf(CanalHealthContributor.class);
            // Every observer reaches the started container, the application's own included, in @Order order.
            InMemoryChangeSource.await(() -> OwnObserver.STATE_CHANGES.size() >= 2, "own observers called");
            // a snapshot: more state changes may arrive while asserting (a live subList would throw)
            assertThat(List.copyOf(OwnObserver.STATE_CHANGES).subList(0, 2)).containsExactly("first", "own");
            InMemoryChangeSource.await(() -> context.getBean(MeterRegistry.class).find("canal.lag").gauge() != null,
                    "meters registered as the container started");
        });
    }

    @Test
    void noMetersWithoutMicrometerButHealthAndEndpointStay() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(CanalMetrics.class)
                    .doesNotHaveBean(CanalListenerObservations.class)
                    .hasSingleBean(CanalEndpoint.class)
                    .hasBean("canalHealthContributor");
        });
    }

    @Test
    void noHealthNorEndpointWithoutActuator() {
        runner.withUserConfiguration(Registries.class)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                        "org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(CanalMetrics.class)
                        .doesNotHaveBean(CanalEndpoint.class)
                        .doesNotHaveBean("canalHealthContributor"));
    }

    @Test
    void switchedOffByProperties() {
        runner.withUserConfiguration(Registries.class)
                .withPropertyValues("canal.metrics.enabled=false", "canal.metrics.observations=false",
                        "management.health.canal.enabled=false", "management.endpoints.web.exposure.exclude=canal")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CanalMetrics.class)
                        .doesNotHaveBean(CanalListenerObservations.class)
                        .doesNotHaveBean(CanalEndpoint.class)
                        .doesNotHaveBean("canalHealthContributor"));
    }

    @Test
    void readOnlyAccessKeepsTheEndpoint() {
        // As in a SpringApplication, whose environment converts "read-only" to READ_ONLY.
        runner.withInitializer(context -> context.getEnvironment()
                        .setConversionService((ApplicationConversionService) ApplicationConversionService.getSharedInstance()))
                .withPropertyValues("management.endpoint.canal.access=read-only")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(CanalEndpoint.class));
    }

    @Test
    void negativeTableLimitFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(Registries.class).withPropertyValues("canal.metrics.max-tables=-1")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("canal.metrics.max-tables"));
    }
}
