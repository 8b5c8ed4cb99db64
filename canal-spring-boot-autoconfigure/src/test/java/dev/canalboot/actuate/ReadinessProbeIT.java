package dev.canalboot.actuate;

import dev.canalboot.testsupport.FreezingProxy;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's Kubernetes set-up: the {@code canal} contributor in the readiness group. The application starts
 * before its database (a port nothing listens on yet): liveness stays UP, readiness turns DOWN once the source has
 * been without a connection for the grace period, and UP when the database comes (a relay to a real MySQL 8.0.31
 * opened on that port) and the source caught up.
 */
@DirtiesContext // its source points at a port that is closed again after the test: not for the context cache
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ReadinessProbeIT.App.class,
        properties = {
                "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.group.readiness.include=readinessState,canal",
                "canal.health.disconnect-grace-period=1s",
                "canal.sources.main.type=binlog",
                "canal.sources.main.host=127.0.0.1",
                "canal.sources.main.username=ready",
                "canal.sources.main.password=" + ReadinessProbeIT.PASSWORD,
                "canal.sources.main.ssl.mode=disabled",
                "canal.sources.main.connect-timeout=2s",
                "canal.sources.main.reconnect.initial-interval=100ms",
                "canal.sources.main.reconnect.max-interval=300ms",
        })
class ReadinessProbeIT {

    static final String PASSWORD = "ready-pw";
    static final String TABLE = "readiness_it.orders";
    static final int DATABASE_PORT = freePort();
    static EmbeddedMySql server;

    @BeforeAll
    static void setUpServer() {
        server = TestServers.mysql();
        server.execute("CREATE DATABASE IF NOT EXISTS readiness_it",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(50))",
                "CREATE USER IF NOT EXISTS ready@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO ready@'%'");
    }

    @AfterAll
    static void dropSchema() {
        server.execute("DROP DATABASE IF EXISTS readiness_it");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        registry.add("canal.sources.main.port", () -> DATABASE_PORT);
        registry.add("canal.checkpoint.file.directory", Files.createTempDirectory("readiness-it")::toString);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        OrdersListener ordersListener() {
            return new OrdersListener();
        }
    }

    static class OrdersListener {
        final List<RowChange> received = new CopyOnWriteArrayList<>();

        @CanalListener(id = "orders", table = TABLE)
        void on(RowChange change) {
            received.add(change);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    OrdersListener listener;

    @Test
    void readinessFollowsTheSourceFromAStartBeforeTheDatabase() throws Exception {
        assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        await(() -> status("/actuator/health/readiness") == 503, "readiness DOWN: no database after the grace period");
        assertThat(status("/actuator/health/liveness")).as("the process is fine: no restart wanted").isEqualTo(200);

        try (FreezingProxy databaseComesUp = new FreezingProxy("127.0.0.1", server.port(), DATABASE_PORT)) {
            await(() -> status("/actuator/health/readiness") == 200, "readiness UP once connected");
            server.execute("INSERT INTO " + TABLE + " (item) VALUES ('first')");
            await(() -> listener.received.size() == 1, "the row committed after the database came is delivered");
        }
    }

    int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
