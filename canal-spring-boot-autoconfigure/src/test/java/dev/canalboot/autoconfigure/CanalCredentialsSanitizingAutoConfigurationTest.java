package dev.canalboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class CanalCredentialsSanitizingAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CanalCredentialsSanitizingAutoConfiguration.class));

    @Test
    void sourcePasswordsAreMaskedAndOtherValuesKept() {
        runner.run(context -> {
            SanitizingFunction function = context.getBean(SanitizingFunction.class);
            assertThat(sanitize(function, "canal.source.password")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(sanitize(function, "canal.sources.orders.password")).isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(sanitize(function, "canal.sources.orders.ssl.trust-store-password"))
                    .isEqualTo(SanitizableData.SANITIZED_VALUE);
            assertThat(sanitize(function, "canal.source.username")).isEqualTo("value");
            assertThat(sanitize(function, "spring.datasource.url")).isEqualTo("value");
        });
    }

    @Test
    void activeAlsoWhenCaptureIsDisabled() {
        runner.withPropertyValues("canal.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(SanitizingFunction.class));
    }

    private static Object sanitize(SanitizingFunction function, String key) {
        return function.applyUnlessFiltered(new SanitizableData(null, key, "value")).getValue();
    }
}
