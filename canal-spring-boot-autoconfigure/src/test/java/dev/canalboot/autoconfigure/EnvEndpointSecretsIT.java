package dev.canalboot.autoconfigure;

import dev.canalboot.testsupport.EnvSecretsMain;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a canal password reaches the environment, against {@code /actuator/env} over HTTP with
 * {@code show-values=always}, in an application of its own JVM (real environment variables and command line):
 * {@code CANAL_SOURCE_PASSWORD}, {@code CANAL_SOURCES_ORDERS_PASSWORD}, {@code DB_PASSWORD} behind
 * {@code ${DB_PASSWORD}} in application.properties, {@code --canal.sources.billing.password=...} (also in
 * {@code sun.java.command}), a {@code -D} trust store password and one in {@code JAVA_TOOL_OPTIONS}.
 */
class EnvEndpointSecretsIT {

    static final Map<String, String> SECRETS = Map.of(
            "CANAL_SOURCE_PASSWORD", "env-source-secret",
            "CANAL_SOURCES_ORDERS_PASSWORD", "env-orders-secret",
            "DB_PASSWORD", "placeholder-db-secret");
    static final String COMMAND_LINE_SECRET = "cmdline-billing-secret";
    static final String SYSTEM_PROPERTY_SECRET = "sysprop-trust-secret";
    static final String TOOL_OPTIONS_SECRET = "tool-options-secret";
    static final List<String> ALL_SECRETS = List.of("env-source-secret", "env-orders-secret", "placeholder-db-secret",
            COMMAND_LINE_SECRET, SYSTEM_PROPERTY_SECRET, TOOL_OPTIONS_SECRET);

    @TempDir
    static Path work;
    static Process app;
    static int port;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheApplication() throws Exception {
        Path config = Files.writeString(work.resolve("application.properties"), """
                canal.source.password=${DB_PASSWORD}
                canal.sources.reports.password=${REPORTS_PASSWORD:${DB_PASSWORD}}
                app.greeting=visible-config-value
                """);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dcanal.sources.sysprop.ssl.trust-store-password=" + SYSTEM_PROPERTY_SECRET,
                "-cp", System.getProperty("java.class.path"), EnvSecretsMain.class.getName(),
                "--server.port=0", "--server.address=127.0.0.1",
                "--management.endpoints.web.exposure.include=env,configprops",
                "--management.endpoint.env.show-values=always",
                "--management.endpoint.configprops.show-values=always",
                "--canal.enabled=false",
                "--spring.config.location=file:" + config,
                "--canal.sources.billing.password=" + COMMAND_LINE_SECRET));
        Path output = work.resolve("app.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(SECRETS);
        builder.environment().put("PLAIN_SETTING", "visible-env-value");
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Dcanal.sources.tool.password=" + TOOL_OPTIONS_SECRET);
        app = builder.start();
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (port == 0) {
            String log = Files.readString(output);
            Matcher m = Pattern.compile("(?m)^PORT=(\\d+)$").matcher(log);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else if (!app.isAlive() || System.nanoTime() > guard) {
                throw new AssertionError("The application did not start:\n" + log);
            } else {
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    static void assertNoSecret(String path, String body) {
        for (String secret : ALL_SECRETS) {
            assertThat(body).as("%s shows no %s", path, secret).doesNotContain(secret);
        }
    }

    @Test
    void theWholeEnvironmentShowsValuesButNoCanalPasswordInAnyForm() throws Exception {
        String body = get("/actuator/env");
        assertNoSecret("/actuator/env", body);
        assertThat(body).as("show-values=always is in effect").contains("visible-env-value")
                .contains("visible-config-value");
        // the command line stays readable, with only the password's value masked
        assertThat(body).contains(EnvSecretsMain.class.getName())
                .contains("--canal.sources.billing.password=******")
                .contains("--canal.enabled=false");
        assertThat(body).contains("\"CANAL_SOURCE_PASSWORD\"").contains("\"DB_PASSWORD\"")
                .contains("\"JAVA_TOOL_OPTIONS\"").contains("\"canal.source.password\"");
    }

    @Test
    void eachEntryAskedForByNameIsMasked() throws Exception {
        for (String name : List.of("CANAL_SOURCE_PASSWORD", "CANAL_SOURCES_ORDERS_PASSWORD", "DB_PASSWORD",
                "canal.source.password", "canal.sources.orders.password", "canal.sources.billing.password",
                "canal.sources.reports.password", "canal.sources.sysprop.ssl.trust-store-password",
                "canal.sources.tool.password", "db.password", "sun.java.command", "JAVA_TOOL_OPTIONS")) {
            String body = get("/actuator/env/" + name);
            assertNoSecret("/actuator/env/" + name, body);
            assertThat(body).as(name).contains("******");
        }
        assertThat(get("/actuator/env/PLAIN_SETTING")).contains("visible-env-value");
    }

    @Test
    void configurationPropertiesShowNoPasswordEither() throws Exception {
        assertNoSecret("/actuator/configprops", get("/actuator/configprops"));
    }
}
