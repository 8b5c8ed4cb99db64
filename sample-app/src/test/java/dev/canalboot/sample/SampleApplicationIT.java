package dev.canalboot.sample;

import com.jayway.jsonpath.JsonPath;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.EmbeddedCdcDatabase;
import dev.canalboot.test.RowChangeCondition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user runs it, on an embedded MariaDB: generator, listeners, Actuator over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.generator.interval=200ms", "management.endpoints.web.exposure.include=health,configprops,env",
                "management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always"})
@EmbeddedCdcDatabase(value = CdcDatabase.MARIADB_11_4, database = "shop", initSql = "CREATE DATABASE IF NOT EXISTS shop")
class SampleApplicationIT {

    @Value("${local.server.port}")
    int port;

    @Autowired
    ChangeRecorder recorder;

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void generatedOrdersReachTheListeners() {
        // The generator inserts an order every 200 ms and moves every second one on to PAID.
        RowChange insert = recorder.awaitRowChange(RowChangeCondition.on("shop.orders").ofType(ChangeType.INSERT));
        assertThat(insert.row().getLong("id")).isPositive();
        assertThat(insert.row().getString("status")).isEqualTo("NEW");
        assertThat(insert.row().getBigDecimal("amount")).isGreaterThan(BigDecimal.ZERO);
        assertThat(insert.row().getLocalDateTime("created_at")).isBefore(LocalDateTime.now().plusMinutes(1));
        RowChange paid = recorder.awaitRowChange(
                RowChangeCondition.on("shop.orders").ofType(ChangeType.UPDATE).with("status", "PAID"));
        assertThat(paid.changedColumns()).contains("status", "amount");
        // Listeners of OrderListeners (ids: bean#method) and the RowHandler (id: its bean name) were called.
        assertThat(recorder.deliveries()).extracting(ChangeRecorder.Delivery::listener).contains(
                "orderListeners#onNewOrder", "orderListeners#onOrderUpdate", "orderRowHandler");
    }

    @Test
    void healthIsUpOverHttp() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void sourcePasswordIsMaskedInConfigpropsAndEnvEvenWhenValuesAreShown() throws Exception {
        String password = environment.getProperty("canal.source.password");
        assertThat(password).isNotBlank();
        HttpResponse<String> configprops = get("/actuator/configprops");
        assertThat(configprops.statusCode()).isEqualTo(200);
        String canal = "$.contexts.*.beans['canal-dev.canalboot.autoconfigure.CanalProperties']";
        // Values are shown (show-values=always) ...
        assertThat(JsonPath.<List<Object>>read(configprops.body(), canal + ".properties.source.username"))
                .containsExactly(environment.getProperty("canal.source.username"));
        // ... except the password, as bound value and as input.
        assertThat(JsonPath.<List<Object>>read(configprops.body(), canal + ".properties.source.password"))
                .containsExactly("******");
        assertThat(JsonPath.<List<Object>>read(configprops.body(), canal + ".inputs.source.password.value"))
                .containsExactly("******");
        HttpResponse<String> env = get("/actuator/env/canal.source.password");
        assertThat(env.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(env.body(), "$.property.value")).isEqualTo("******");
        assertThat(env.body()).doesNotContain(password);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
