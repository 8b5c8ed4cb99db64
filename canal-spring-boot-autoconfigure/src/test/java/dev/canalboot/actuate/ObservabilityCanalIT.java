package dev.canalboot.actuate;

import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalPassword;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Meters and health of a Canal source behind a real Canal 1.1.7 server on MySQL 8.0.31. */
@SpringBootTest(classes = ObservabilityCanalIT.App.class,
        properties = {"canal.health.lag-threshold=3s"})
class ObservabilityCanalIT {

    static final String SCHEMA = "metrics_canal_it";
    static final String PASSWORD = "canal-obs-pw";
    static EmbeddedMySql database;
    static EmbeddedCanalServer canal;

    @BeforeAll
    static void startCanal() {
        database = TestServers.mysql();
        database.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".orders (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(50))");
        canal = EmbeddedCanalServer.builder(database).destination(SCHEMA).filter(SCHEMA + "\\..*")
                .credentials("canal", CanalPassword.serverHash(PASSWORD)).start();
    }

    @AfterAll
    static void stopCanal() {
        if (canal != null) {
            canal.close();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        CanalChangeSource canalSource() {
            return new CanalChangeSource(CanalSettings.builder("canal-main", canal.destination())
                    .address(canal.host() + ":" + canal.port())
                    .credentials("canal", PASSWORD)
                    .fetchTimeout(Duration.ofMillis(200))
                    .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .serverZone(ZoneId.systemDefault())
                    .build());
        }

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    static class Listener {

        final List<RowChange> received = new CopyOnWriteArrayList<>();

        @CanalListener(table = SCHEMA + ".orders")
        void on(RowChange change) {
            received.add(change);
        }
    }

    @Autowired
    Listener listener;

    @Autowired
    MeterRegistry meters;

    @Autowired
    @Qualifier("canalHealthContributor")
    CompositeHealthContributor health;

    @Autowired
    SourceMonitors monitors;

    @Test
    void metersMoveAndAnIdleSourceStaysUp() throws Exception {
        database.execute("INSERT INTO " + SCHEMA + ".orders (item) VALUES ('apple')",
                "INSERT INTO " + SCHEMA + ".orders (item) VALUES ('pear')",
                "UPDATE " + SCHEMA + ".orders SET item = 'plum' WHERE item = 'pear'");
        await(() -> listener.received.size() == 3, "3 row changes delivered");
        await(() -> count("insert") == 2 && count("update") == 1, "canal.rows counted");
        assertThat(meters.get("canal.source.bytes.read").tag("source", "canal-main").functionCounter().count()).isPositive();
        assertThat(meters.get("canal.source.state").tags("source", "canal-main", "state", "connected").gauge().value())
                .isEqualTo(1.0);

        // Idle for longer than the lag threshold: the server's empty answers keep the lag small.
        Instant lastCommit = monitors.get("canal-main").lastDeliveredCommitTime();
        assertThat(lastCommit).isNotNull();
        await(() -> Instant.now().isAfter(lastCommit.plusSeconds(6)), "idle for 6 s");
        Health idle = ((HealthIndicator) health.getContributor("canal-main")).health();
        assertThat(idle.getStatus()).isEqualTo(Status.UP);
        assertThat((Long) idle.getDetails().get("lagMillis")).isLessThan(3_000L);
        assertThat(idle.getDetails().get("server")).isEqualTo(canal.host() + ":" + canal.port() + "/" + SCHEMA);
        assertThat(meters.get("canal.lag").tag("source", "canal-main").timeGauge().value()).isLessThan(3.0);
    }

    private double count(String type) {
        var counter = meters.find("canal.rows").tags("source", "canal-main", "table", SCHEMA + ".orders", "type", type)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Gave up waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
