package dev.canalboot.autoconfigure;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import io.micrometer.core.instrument.Gauge;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-table snapshot gauges are bounded by {@code canal.metrics.max-tables}: a snapshot of three tables on the
 * shared MySQL 8.0.31 with a bound of two. The gauges without a server: {@link SnapshotMetersTest}.
 */
class SnapshotMetersIT {

    static final String SCHEMA = "snapshot_meters_it";
    static final Map<String, Integer> ROWS = Map.of(SCHEMA + ".t1", 3, SCHEMA + ".t2", 2, SCHEMA + ".t3", 1);

    static EmbeddedMySql db;
    static DatabaseUser user;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void createTables() {
        db = TestServers.mysql();
        user = db.users().get(0);
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA);
        ROWS.forEach((table, rows) -> {
            db.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)");
            for (int id = 1; id <= rows; id++) {
                db.execute("INSERT INTO " + table + " VALUES (" + id + ")");
            }
        });
    }

    @Test
    void onlyTheFirstMaxTablesTablesOfASnapshotGetTableGauges() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).properties(
                        "canal.checkpoint.file.directory=" + checkpoints,
                        "canal.source.host=" + db.host(), "canal.source.port=" + db.port(),
                        "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                        "canal.source.ssl.mode=disabled", "canal.source.snapshot.mode=initial",
                        "canal.metrics.max-tables=2").run()) {
            App app = context.getBean(App.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            SnapshotAutoConfigurationMySqlIT.await(() -> app.rows.size() == 6, "6 snapshot rows of " + ROWS.keySet());
            SnapshotAutoConfigurationMySqlIT.await(() -> meters.get("canal.snapshot.running").tag("source", "default")
                    .gauge().value() == 0, "the snapshot ended");

            assertThat(meters.get("canal.snapshot.tables").tag("source", "default").gauge().value()).isEqualTo(3);
            assertThat(meters.get("canal.snapshot.tables.done").tag("source", "default").gauge().value()).isEqualTo(3);
            assertThat(meters.get("canal.snapshot.rows").tag("source", "default").gauge().value()).isEqualTo(6);
            List<Gauge> tableRows = List.copyOf(meters.find("canal.snapshot.table.rows").tag("source", "default").gauges());
            assertThat(tableRows).as("bounded by canal.metrics.max-tables").hasSize(2);
            for (Gauge gauge : tableRows) {
                String table = gauge.getId().getTag("table");
                assertThat(gauge.value()).as(table).isEqualTo(ROWS.get(table).doubleValue());
            }
            assertThat(meters.find("canal.snapshot.table.chunks").gauges()).hasSize(2);
            assertThat(meters.find("canal.snapshot.table.rows.estimated").gauges()).hasSize(2);
        }
    }

    @Configuration(proxyBeanMethods = false)
    // The metrics auto-configuration binds canal.metrics.*, as in an application with every auto-configuration
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalMonitoringAutoConfiguration.class,
            CanalMetricsAutoConfiguration.class, CanalSnapshotAutoConfiguration.class})
    static class App {
        final List<RowChange> rows = new CopyOnWriteArrayList<>();

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @CanalListener(id = "tables", table = SCHEMA + ".*")
        void onRow(RowChange change) {
            rows.add(change);
        }
    }
}
