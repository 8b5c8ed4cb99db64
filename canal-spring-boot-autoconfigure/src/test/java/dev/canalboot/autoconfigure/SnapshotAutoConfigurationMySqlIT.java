package dev.canalboot.autoconfigure;

import dev.canalboot.actuate.CanalEndpoint;
import dev.canalboot.actuate.SourceMonitors;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.SnapshotProgress;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots in an application against a real MySQL 8.0.31: without {@code snapshot.tables} a source snapshots the
 * tables its listeners match (those taking snapshot rows); the progress shows in gauges and the {@code canal}
 * endpoint; {@code initial-only} stops the listener container once the snapshot is acknowledged.
 */
class SnapshotAutoConfigurationMySqlIT {

    static final String SCHEMA = "snapshot_boot";
    static final String ITEMS = SCHEMA + ".items";
    static final String AUDIT = SCHEMA + ".audit";

    static EmbeddedMySql db;
    static DatabaseUser user;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void createTables() {
        db = TestServers.mysql();
        user = db.users().get(0);
        StringBuilder items = new StringBuilder("INSERT INTO " + ITEMS + " VALUES ");
        for (int i = 1; i <= 30; i++) {
            items.append(i == 1 ? "" : ",").append("(").append(i).append(")");
        }
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + ITEMS + " (id BIGINT PRIMARY KEY)", "CREATE TABLE " + AUDIT + " (id BIGINT PRIMARY KEY)",
                items.toString(), "INSERT INTO " + AUDIT + " VALUES (1), (2)");
    }

    ConfigurableApplicationContext run(String mode) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(
                "canal.checkpoint.file.directory=" + checkpoints,
                "canal.source.host=" + db.host(), "canal.source.port=" + db.port(),
                "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                "canal.source.ssl.mode=disabled", "canal.source.snapshot.mode=" + mode,
                "canal.source.snapshot.chunk-size=7").run();
    }

    @Test
    void withoutSnapshotTablesTheListenersTablesAreReadAndTheProgressShowsInGaugesAndTheEndpoint() {
        try (ConfigurableApplicationContext context = run("initial")) {
            App app = context.getBean(App.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            CanalEndpoint endpoint = new CanalEndpoint(context.getBean(SourceMonitors.class));
            await(() -> app.items.size() == 30, "30 snapshot rows of " + ITEMS);
            await(() -> gauge(meters, "canal.snapshot.running") == 0, "the snapshot ended");
            assertThat(app.items).extracting(RowChange::type).containsOnly(ChangeType.SNAPSHOT);
            assertThat(app.audit).as("its listener takes no snapshot rows: not read").isEmpty();

            // 30 rows in chunks of 7: 4 full chunks and a last one of 2
            assertThat(gauge(meters, "canal.snapshot.tables")).isEqualTo(1);
            assertThat(gauge(meters, "canal.snapshot.tables.done")).isEqualTo(1);
            assertThat(gauge(meters, "canal.snapshot.rows")).isEqualTo(30);
            assertThat(gauge(meters, "canal.snapshot.chunks")).isEqualTo(5);
            assertThat(tableGauge(meters, "canal.snapshot.table.rows")).isEqualTo(30);
            assertThat(tableGauge(meters, "canal.snapshot.table.chunks")).isEqualTo(5);
            assertThat(tableGauge(meters, "canal.snapshot.table.rows.estimated")).isGreaterThanOrEqualTo(0);
            Map<String, Object> snapshot = endpoint.source("default").snapshot();
            assertThat(snapshot).containsEntry("state", "DONE").containsEntry("tables", List.of(ITEMS));
            @SuppressWarnings("unchecked")
            Map<String, Object> items = (Map<String, Object>) ((Map<String, Object>) snapshot.get("progress")).get(ITEMS);
            assertThat(items).containsEntry("rowsDone", 30L).containsEntry("chunks", 5L).containsEntry("done", true)
                    .containsKeys("estimatedRows", "rowsPerSecond", "eta");

            // On demand without tables: the listeners' tables again, the same gauges move.
            endpoint.control("default", "snapshot", null);
            await(() -> app.items.size() == 60, "30 more snapshot rows");
            await(() -> "DONE".equals(endpoint.source("default").snapshot().get("state")), "the second snapshot ended");
            assertThat(tableGauge(meters, "canal.snapshot.table.rows")).isEqualTo(30);
            assertThat(app.audit).isEmpty();
        }
    }

    @Test
    void initialOnlyStopsTheContainerOnceTheSnapshotIsAcknowledged() {
        try (ConfigurableApplicationContext context = run("initial-only")) {
            App app = context.getBean(App.class);
            CanalListenerContainer container = context.getBean(CanalListenerEndpointRegistry.class)
                    .getListenerContainer("default");
            await(() -> container.getState() == ContainerState.STOPPED, "the container stopped");
            assertThat(app.items).hasSize(30).extracting(RowChange::type).containsOnly(ChangeType.SNAPSHOT);
            assertThat(container.getLastError()).isNull();
            assertThat(container.getSource().state()).isEqualTo(SourceState.STOPPED);
            assertThat(container.getSource().finished()).isTrue();
            assertThat(context.getBean(CheckpointStore.class).load("default").orElseThrow().snapshot())
                    .isEqualTo(SnapshotProgress.DONE);
        }
    }

    static double gauge(MeterRegistry meters, String name) {
        return meters.get(name).tag("source", "default").gauge().value();
    }

    static double tableGauge(MeterRegistry meters, String name) {
        return meters.get(name).tag("source", "default").tag("table", ITEMS).gauge().value();
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalMonitoringAutoConfiguration.class,
            CanalSnapshotAutoConfiguration.class})
    static class App {
        final List<RowChange> items = new CopyOnWriteArrayList<>();
        final List<RowChange> audit = new ArrayList<>();

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @CanalListener(id = "items", table = ITEMS)
        void onItem(RowChange change) {
            items.add(change);
        }

        @CanalListener(id = "audit", table = AUDIT, events = ChangeType.INSERT)
        void onAudit(RowChange change) {
            audit.add(change);
        }
    }
}
