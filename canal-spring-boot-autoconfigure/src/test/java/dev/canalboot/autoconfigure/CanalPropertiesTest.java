package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.CanalProperties.ErrorHandling;
import dev.canalboot.autoconfigure.CanalProperties.ExecutorKind;
import dev.canalboot.autoconfigure.CanalProperties.StoreKind;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code canal.*} properties: defaults, binding from property names, and the sources by name. */
class CanalPropertiesTest {

    private static CanalProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bind(CanalProperties.PREFIX, CanalProperties.class).orElseGet(CanalProperties::new);
    }

    @Test
    void defaults() {
        CanalProperties properties = new CanalProperties();

        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.isFailFast()).isTrue();
        assertThat(properties.getSource()).isNull();
        assertThat(properties.allSources()).isEmpty();
        assertThat(properties.getZeroDates()).isEqualTo(ZeroDatePolicy.NULL);
        CanalProperties.Listener listener = properties.getListener();
        assertThat(listener.getErrorHandler()).isEqualTo(ErrorHandling.STOP);
        assertThat(listener.getExecutor()).isEqualTo(ExecutorKind.CALLER);
        assertThat(listener.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(listener.getConcurrency()).isEqualTo(1);
        assertThat(listener.getOrdering()).isEqualTo(ListenerConcurrency.Ordering.KEY);
        assertThat(listener.getMaxInFlight()).isEqualTo(ListenerConcurrency.SERIAL.maxInFlight());
        assertThat(listener.getRetry().getMaxAttempts()).isEqualTo(3);
        assertThat(listener.getRetry().getInitialInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(listener.getRetry().getMultiplier()).isEqualTo(2.0);
        assertThat(listener.getRetry().getMaxInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(listener.getRetry().getNotRetryable()).isEmpty();
        assertThat(listener.getSourceRetry().getMaxAttempts()).isEqualTo(3);
        assertThat(properties.getCheckpoint().getStore()).isEqualTo(StoreKind.FILE);
        assertThat(properties.getCheckpoint().getFile().getDirectory()).isEqualTo(Path.of("canal-checkpoints"));
        assertThat(properties.getCheckpoint().getJdbc().getTable()).isEqualTo("canal_checkpoint");
        assertThat(properties.getCheckpoint().getCommitInterval()).isEqualTo(Duration.ZERO);
    }

    @Test
    void keysBindInTheirKebabCaseForm() {
        CanalProperties properties = bind(Map.ofEntries(
                Map.entry("canal.enabled", "false"),
                Map.entry("canal.fail-fast", "false"),
                Map.entry("canal.zero-dates", "error"),
                Map.entry("canal.listener.error-handler", "dead-letter"),
                Map.entry("canal.listener.executor", "virtual-threads"),
                Map.entry("canal.listener.shutdown-timeout", "3s"),
                Map.entry("canal.listener.concurrency", "4"),
                Map.entry("canal.listener.ordering", "table"),
                Map.entry("canal.listener.max-in-flight", "8"),
                Map.entry("canal.listener.retry.max-attempts", "5"),
                Map.entry("canal.listener.retry.initial-interval", "50ms"),
                Map.entry("canal.listener.retry.multiplier", "1.5"),
                Map.entry("canal.listener.retry.max-interval", "2s"),
                Map.entry("canal.listener.retry.not-retryable", "java.lang.IllegalArgumentException"),
                Map.entry("canal.listener.source-retry.max-attempts", "9"),
                Map.entry("canal.checkpoint.store", "jdbc"),
                Map.entry("canal.checkpoint.file.directory", "/var/lib/cdc"),
                Map.entry("canal.checkpoint.jdbc.table", "ops.checkpoints"),
                Map.entry("canal.checkpoint.commit-interval", "1s")));

        assertThat(properties.isEnabled()).isFalse();
        assertThat(properties.isFailFast()).isFalse();
        assertThat(properties.getZeroDates()).isEqualTo(ZeroDatePolicy.ERROR);
        CanalProperties.Listener listener = properties.getListener();
        assertThat(listener.getErrorHandler()).isEqualTo(ErrorHandling.DEAD_LETTER);
        assertThat(listener.getExecutor()).isEqualTo(ExecutorKind.VIRTUAL_THREADS);
        assertThat(listener.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(listener.getConcurrency()).isEqualTo(4);
        assertThat(listener.getOrdering()).isEqualTo(ListenerConcurrency.Ordering.TABLE);
        assertThat(listener.getMaxInFlight()).isEqualTo(8);
        assertThat(listener.getRetry().getMaxAttempts()).isEqualTo(5);
        assertThat(listener.getRetry().getInitialInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(listener.getRetry().getMultiplier()).isEqualTo(1.5);
        assertThat(listener.getRetry().getMaxInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(listener.getRetry().getNotRetryable()).containsExactly(IllegalArgumentException.class);
        assertThat(listener.getSourceRetry().getMaxAttempts()).isEqualTo(9);
        assertThat(properties.getCheckpoint().getStore()).isEqualTo(StoreKind.JDBC);
        assertThat(properties.getCheckpoint().getFile().getDirectory()).isEqualTo(Path.of("/var/lib/cdc"));
        assertThat(properties.getCheckpoint().getJdbc().getTable()).isEqualTo("ops.checkpoints");
        assertThat(properties.getCheckpoint().getCommitInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void allSourcesHasTheSingleSourceAsDefaultFirstThenTheNamedOnesInDeclarationOrder() {
        CanalProperties properties = new CanalProperties();
        properties.getSources().put("zeta", source("db1"));
        properties.getSources().put("alpha", source("db2"));
        properties.setSource(source("db0"));

        Map<String, SourceProperties> all = properties.allSources();

        assertThat(all.keySet()).containsExactly(CanalProperties.DEFAULT_SOURCE_NAME, "zeta", "alpha");
        assertThat(all.get("default").getHost()).isEqualTo("db0");
        assertThat(all.get("alpha").getHost()).isEqualTo("db2");
        assertThat(bind(Map.of("canal.source.host", "db0")).allSources().get("default").getHost()).isEqualTo("db0");
    }

    @Test
    void namedSourcesAloneHaveNoDefault() {
        CanalProperties properties = bind(Map.of("canal.sources.orders.host", "db1", "canal.sources.orders.port", "3307"));

        assertThat(properties.getSource()).isNull();
        assertThat(properties.allSources()).containsOnlyKeys("orders");
        assertThat(properties.allSources().get("orders").getPort()).isEqualTo(3307);
    }

    @Test
    void aNamedSourceCalledDefaultBesideTheSingleSourceIsRefusedNamingBothKeys() {
        CanalProperties properties = bind(Map.of("canal.source.host", "db0", "canal.sources.default.host", "db1"));

        assertThatThrownBy(properties::allSources).isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
            assertThat(e.getProperty()).isEqualTo("canal.sources.default");
            assertThat(e.getProblem()).contains("canal.source").contains("canal.sources.default");
            assertThat(e.getAction()).contains("Keep one of them");
        });
        assertThat(bind(Map.of("canal.sources.default.host", "db1")).allSources()).containsOnlyKeys("default");
    }

    private static SourceProperties source(String host) {
        SourceProperties source = new SourceProperties();
        source.setHost(host);
        return source;
    }
}
