package dev.canalboot.actuate;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Metrics, health and the {@code canal} endpoint of a binlog source reading a real MySQL 8.0.31, over a
 * real web server on a random port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = ObservabilityMySqlIT.App.class,
        properties = {
                "management.endpoints.web.exposure.include=health,canal,metrics,configprops,env",
                "management.endpoint.health.show-details=always",
                "management.endpoint.configprops.show-values=always",
                "management.endpoint.env.show-values=always",
                "canal.health.disconnect-grace-period=2s",
                "canal.health.lag-threshold=5s",
                "canal.sources.main.type=binlog",
                "canal.sources.main.host=127.0.0.1",
                "canal.sources.main.username=obs",
                "canal.sources.main.password=" + ObservabilityMySqlIT.PASSWORD,
                "canal.sources.main.server-id=4242",
                "canal.sources.main.ssl.mode=disabled",
                "canal.sources.main.connect-timeout=2s",
                "canal.sources.main.heartbeat-interval=1s",
                "canal.sources.main.read-timeout=3s",
                "canal.sources.main.reconnect.initial-interval=200ms",
                "canal.sources.main.reconnect.max-interval=1s",
        })
class ObservabilityMySqlIT {

    static final String PASSWORD = "obs-repl-pw";
    static final String TABLE = "metrics_it.orders";
    static final Duration WAIT = Duration.ofSeconds(90);
    static EmbeddedMySql server;

    @BeforeAll
    static void setUpServer() {
        server = TestServers.mysql();
        server.execute("CREATE DATABASE IF NOT EXISTS metrics_it",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY AUTO_INCREMENT, item VARCHAR(50))",
                "CREATE USER IF NOT EXISTS obs@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO obs@'%'");
    }

    @DynamicPropertySource
    static void serverPortAndCheckpoints(DynamicPropertyRegistry registry) throws IOException {
        registry.add("canal.sources.main.port", () -> TestServers.mysql().port());
        Path checkpoints = Files.createTempDirectory("metrics-it-checkpoints");
        registry.add("canal.checkpoint.file.directory", checkpoints::toString);
    }

    /** The source comes from the properties above, as in an application. */
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
    private final ObjectMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    OrdersListener listener;

    @Autowired
    ChangeSource configured;

    SourceCounters sourceCounters() {
        return ((BinlogChangeSource) configured).statistics();
    }

    @Test
    void metricsHealthAndEndpointFollowTheSource() throws Exception {
        await(() -> "CONNECTED".equals(get("/actuator/canal/main").path("sourceState").asString()), "source connected");

        // Rows flow: meters move.
        int before = listener.received.size();
        insert("apple", "pear", "plum");
        await(() -> listener.received.size() == before + 3, "3 rows delivered");
        await(() -> metric("canal.rows", "source:main", "table:" + TABLE, "type:insert") == 3.0, "canal.rows counted");
        assertThat(metric("canal.batches", "source:main", "outcome:acknowledged")).isGreaterThanOrEqualTo(1.0);
        assertThat(metric("canal.listener.invocations", "source:main", "listener:orders")).isEqualTo(3.0);
        assertThat(metric("canal.source.bytes.read", "source:main")).isPositive();
        assertThat(metric("canal.source.state", "source:main", "state:connected")).isEqualTo(1.0);
        assertThat(metric("canal.lag", "source:main")).isGreaterThanOrEqualTo(0.0);
        // The Observation API saw each listener call (Boot's meter handler turns it into a timer).
        assertThat(metric("canal.listener", "canal.source:main", "canal.listener:orders")).isEqualTo(3.0);

        // The endpoint reports state, position, lag, listeners and counts, and no credentials.
        String raw = getRaw("/actuator/canal").body();
        assertThat(raw).doesNotContain(PASSWORD);
        JsonNode main = json.readTree(raw).path("sources").path("main");
        assertThat(main.path("type").asString()).isEqualTo("BinlogChangeSource");
        assertThat(main.path("server").asString()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(main.path("containerState").asString()).isEqualTo("RUNNING");
        assertThat(main.path("position").path("file").asString()).startsWith("binlog.");
        assertThat(main.path("lagMillis").isNumber()).isTrue();
        assertThat(main.path("counts").path("rowsDelivered").asLong()).isGreaterThanOrEqualTo(3);
        JsonNode orders = main.path("listeners").get(0);
        assertThat(orders.path("id").asString()).isEqualTo("orders");
        assertThat(orders.path("tables").get(0).asString()).isEqualTo(TABLE);
        assertThat(orders.path("events")).hasSize(4); // INSERT, UPDATE, DELETE, SNAPSHOT

        // Health: the composite "canal" with a child per source.
        JsonNode health = get("/actuator/health/canal");
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("main").path("details").path("sourceState").asString())
                .isEqualTo("CONNECTED");
        assertThat(getRaw("/actuator/health").body()).doesNotContain(PASSWORD);

        // Pause: rows written meanwhile are read by the source but not delivered; resume delivers them.
        assertThat(post("/actuator/canal/main", "pause").statusCode()).isEqualTo(200);
        await(() -> "PAUSED".equals(get("/actuator/canal/main").path("containerState").asString()), "paused");
        int atPause = listener.received.size();
        long deliveredAtPause = get("/actuator/canal/main").path("counts").path("rowsDelivered").asLong();
        long readAtPause = sourceCounters().events();
        // Commit times have second precision: write in a later second than the last delivered change.
        Instant lastDelivered = Instant.parse(get("/actuator/canal/main").path("lastDeliveredCommit").asString());
        await(() -> Instant.now().getEpochSecond() > lastDelivered.getEpochSecond(), "a new second");
        insert("fig", "kiwi");
        await(() -> sourceCounters().events() >= readAtPause + 2, "the source read the 2 new rows");
        assertThat(listener.received).hasSize(atPause);
        assertThat(get("/actuator/canal/main").path("counts").path("rowsDelivered").asLong()).isEqualTo(deliveredAtPause);
        // Read but undelivered rows make the source fall behind despite heartbeats: LAGGING, HTTP 200, and
        // it ranks above UP in the overall health.
        await(() -> "LAGGING".equals(get("/actuator/health").path("status").asString()), "overall health LAGGING");
        HttpResponse<String> lagging = getRaw("/actuator/health/canal/main");
        assertThat(lagging.statusCode()).isEqualTo(200);
        assertThat(json.readTree(lagging.body()).path("details").path("lagMillis").asLong()).isGreaterThan(5_000);
        assertThat(post("/actuator/canal/main", "resume").statusCode()).isEqualTo(200);
        await(() -> listener.received.size() == atPause + 2, "rows written while paused delivered after resume");
        await(() -> "UP".equals(get("/actuator/health/canal").path("status").asString()), "caught up: UP again");
        assertThat(List.copyOf(listener.received).subList(atPause, atPause + 2)).extracting(r -> r.after().get("item"))
                .containsExactly("fig", "kiwi");

        // Bad requests are named.
        HttpResponse<String> unknownAction = post("/actuator/canal/main", "jump");
        assertThat(unknownAction.statusCode()).isEqualTo(400);
        assertThat(post("/actuator/canal/nope", "pause").statusCode()).isEqualTo(400);
        assertThat(getRaw("/actuator/canal/nope").statusCode()).isEqualTo(404);

        // The database stops: DOWN after the grace period; it returns: UP again, and rows flow.
        ProcessHandle mysqld = serverProcess();
        signal(mysqld, "STOP");
        try {
            await(() -> getRaw("/actuator/health/canal/main").statusCode() == 503, "health DOWN while MySQL is stopped");
            JsonNode down = get("/actuator/health/canal/main");
            assertThat(down.path("status").asString()).isEqualTo("DOWN");
            assertThat(down.path("details").path("sourceState").asString()).isIn("RECONNECTING", "CONNECTING");
        } finally {
            signal(mysqld, "CONT");
        }
        await(() -> "UP".equals(get("/actuator/health/canal/main").path("status").asString()), "health UP after MySQL returned");
        assertThat(metric("canal.source.reconnects", "source:main")).isGreaterThanOrEqualTo(1.0);
        int afterOutage = listener.received.size();
        String commitBeforeLime = get("/actuator/canal/main").path("lastDeliveredCommit").asString();
        insert("lime");
        await(() -> listener.received.size() == afterOutage + 1, "rows flow after the outage");
        // The listener has it; the acknowledgement (which moves the delivered commit time) follows.
        await(() -> !commitBeforeLime.equals(get("/actuator/canal/main").path("lastDeliveredCommit").asString()),
                "lime acknowledged");

        // Idle for longer than the lag threshold: heartbeats keep the lag small, health stays UP.
        Instant lime = Instant.parse(get("/actuator/canal/main").path("lastDeliveredCommit").asString());
        await(() -> Instant.now().isAfter(lime.plusSeconds(7)), "idle for 7 s");
        JsonNode idle = get("/actuator/health/canal/main");
        assertThat(idle.path("status").asString()).isEqualTo("UP");
        assertThat(idle.path("details").path("lagMillis").asLong()).isLessThan(5_000);
    }

    @Test
    void configpropsAndEnvShowNoCredentials() {
        HttpResponse<String> configprops = getRaw("/actuator/configprops");
        assertThat(configprops.statusCode()).isEqualTo(200);
        assertThat(configprops.body()).contains("\"username\":\"obs\"").doesNotContain(PASSWORD);
        HttpResponse<String> env = getRaw("/actuator/env");
        assertThat(env.statusCode()).isEqualTo(200);
        assertThat(env.body()).contains("canal.sources.main.username").doesNotContain(PASSWORD);
    }

    // ---------------------------------------------------------------- helpers

    private void insert(String... items) {
        for (String item : items) {
            server.execute("INSERT INTO " + TABLE + " (item) VALUES ('" + item + "')");
        }
    }

    private double metric(String name, String... tags) {
        StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            path.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        HttpResponse<String> response = getRaw(path.toString());
        if (response.statusCode() == 404) {
            return Double.NaN;
        }
        JsonNode measurements = json.readTree(response.body()).path("measurements");
        for (JsonNode measurement : measurements) {
            String statistic = measurement.path("statistic").asString();
            if (statistic.equals("COUNT") || statistic.equals("VALUE")) {
                return measurement.path("value").asDouble();
            }
        }
        return fail("No COUNT or VALUE in " + response.body());
    }

    private JsonNode get(String path) {
        return json.readTree(getRaw(path).body());
    }

    private HttpResponse<String> getRaw(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> post(String path, String action) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\"}")).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Gave up waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The mysqld this JVM started for {@link TestServers#mysql()}. */
    private static ProcessHandle serverProcess() {
        String portOption = "--port=" + server.port();
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("mysqld") && c.contains(portOption)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No mysqld process with " + portOption));
    }

    /** Freezes (STOP) or resumes (CONT) the server process: a database that stops answering, data kept. */
    private static void signal(ProcessHandle process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
    }
}
