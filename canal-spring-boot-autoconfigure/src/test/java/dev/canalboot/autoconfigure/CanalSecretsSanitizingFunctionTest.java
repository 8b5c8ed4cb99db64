package dev.canalboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The masking rules of {@link CanalSecretsSanitizingFunction} on a hand-made environment. */
class CanalSecretsSanitizingFunctionTest {

    static final String MASK = SanitizableData.SANITIZED_VALUE;

    final StandardEnvironment environment = new StandardEnvironment();
    final CanalSecretsSanitizingFunction function = new CanalSecretsSanitizingFunction(environment);

    Object sanitize(String key, Object value) {
        return function.applyUnlessFiltered(new SanitizableData(null, key, value)).getValue();
    }

    @Test
    void keysThatBindToACanalPasswordInAnySpelling() {
        for (String key : new String[]{"canal.source.password", "CANAL_SOURCE_PASSWORD", "canal.sources.orders.password",
                "CANAL_SOURCES_ORDERS_PASSWORD", "canal.sources[orders].password", "canal.source.ssl.trust-store-password",
                "canal.source.ssl.trustStorePassword", "CANAL_SOURCES_ORDERS_SSL_KEYSTOREPASSWORD"}) {
            assertThat(sanitize(key, "x")).as(key).isEqualTo(MASK);
        }
        assertThat(sanitize("canal.source.username", "repl")).isEqualTo("repl");
        assertThat(sanitize("spring.datasource.url", "jdbc:mysql://db/app")).isEqualTo("jdbc:mysql://db/app");
    }

    @Test
    void placeholderSourcesAreFollowedInEverySpellingAndThroughDefaults() {
        environment.getPropertySources().addFirst(new MapPropertySource("app", Map.of(
                "canal.source.password", "${app.db.password}",
                "canal.sources.reports.password", "${REPORTS_PASSWORD:${FALLBACK_SECRET}}",
                "app.db.password", "${DB_PASSWORD}",
                "other.reference", "jdbc:mysql://u:${DB_PASSWORD}@db/x")));
        environment.getPropertySources().addLast(new SystemEnvironmentPropertySource("env", Map.of(
                "DB_PASSWORD", "from-env-secret", "FALLBACK_SECRET", "fallback-secret", "HOME", "/home/app")));

        assertThat(sanitize("app.db.password", "${DB_PASSWORD}")).isEqualTo(MASK);
        assertThat(sanitize("DB_PASSWORD", "from-env-secret")).isEqualTo(MASK);
        assertThat(sanitize("db.password", "from-env-secret")).isEqualTo(MASK);
        assertThat(sanitize("FALLBACK_SECRET", "fallback-secret")).isEqualTo(MASK);
        assertThat(sanitize("REPORTS_PASSWORD", "unset")).isEqualTo(MASK);
        assertThat(sanitize("other.reference", "jdbc:mysql://u:${DB_PASSWORD}@db/x")).isEqualTo(MASK);
        assertThat(sanitize("unrelated.copy", "from-env-secret")).as("a value equal to a canal password").isEqualTo(MASK);
        assertThat(sanitize("HOME", "/home/app")).isEqualTo("/home/app");
    }

    @Test
    void commandLinesKeepEverythingButThePasswords() {
        environment.getPropertySources().addFirst(new MapPropertySource("app", Map.of(
                "canal.source.password", "${DB_PASSWORD}", "DB_PASSWORD", "pass word secret")));
        assertThat(sanitize("sun.java.command",
                "com.example.App --canal.source.password=s3cret-value --server.port=8080 --DB_PASSWORD=x"))
                .isEqualTo("com.example.App --canal.source.password=****** --server.port=8080 --DB_PASSWORD=******");
        assertThat(sanitize("JAVA_TOOL_OPTIONS", "-Xmx1g -Dcanal.sources.a.ssl.key-store-password=ks -Dfile.encoding=UTF-8"))
                .isEqualTo("-Xmx1g -Dcanal.sources.a.ssl.key-store-password=****** -Dfile.encoding=UTF-8");
        assertThat(sanitize("sun.java.command", "com.example.App --my.password=pass word secret"))
                .as("a resolved password with spaces, under a key of its own").isEqualTo("com.example.App --my.password=******");
        assertThat(sanitize("SPRING_APPLICATION_JSON", "{\"canal\":{\"source\":{\"password\":\"j\"}}}")).isEqualTo(MASK);
        assertThat(sanitize("spring.application.json", "{\"server\":{\"port\":8080}}")).isEqualTo("{\"server\":{\"port\":8080}}");
    }
}
