package dev.canalboot.sample;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.ChangeType;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user runs it: embedded MariaDB, generator, listeners, Actuator over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.generator.interval=200ms", "management.endpoints.web.exposure.include=health,configprops,env",
                "management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always"})
class SampleApplicationTests {

    @Value("${local.server.port}")
    int port;

    @Autowired
    InsertedOrders inserted;

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void generatedOrderReachesAListener() throws Exception {
        // The generator inserts an order every 200 ms; the binlog source must deliver one to a listener.
        Order order = inserted.orders.poll(60, TimeUnit.SECONDS);
        assertThat(order).as("an inserted order delivered within 60 s").isNotNull();
        assertThat(order.id()).isPositive();
        assertThat(order.status()).isEqualTo("NEW");
        assertThat(order.amount()).isPositive();
        assertThat(order.createdAt()).isNotNull();
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

    static class InsertedOrders {
        final BlockingQueue<Order> orders = new LinkedBlockingQueue<>();

        @CanalListener(table = "shop.orders", events = ChangeType.INSERT)
        void onInsert(Order order) {
            orders.add(order);
        }
    }

    @TestConfiguration
    static class Listeners {
        @Bean
        InsertedOrders insertedOrders() {
            return new InsertedOrders();
        }
    }
}
