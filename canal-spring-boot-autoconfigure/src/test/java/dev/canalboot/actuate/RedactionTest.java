package dev.canalboot.actuate;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void removesUserInfoFromUrls() {
        assertThat(Redaction.redact("cannot connect to jdbc:mysql://repl:s3cret@db1:3306/shop: refused"))
                .isEqualTo("cannot connect to jdbc:mysql://db1:3306/shop: refused");
    }

    @Test
    void masksSecretPairs() {
        assertThat(Redaction.redact("login failed user=repl password=s3cret, token: abc"))
                .isEqualTo("login failed user=repl password=******, token: ******")
                .doesNotContain("s3cret").doesNotContain("abc");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "Access denied for user 'repl'@'10.0.0.1' (using password: YES) at binlog.000003:4";
        assertThat(Redaction.redact(text)).isEqualTo(text.replace("password: YES", "password: ******"));
        assertThat(Redaction.redact("db1:3306")).isEqualTo("db1:3306");
        assertThat(Redaction.redact(null)).isNull();
    }

    @Test
    void sanitizerMasksCanalCredentialsAndUrlUserInfo() {
        CanalSanitizingFunction sanitizer = new CanalSanitizingFunction();
        assertThat(sanitizer.apply(data("canal.sources.main.password", "s3cret")).getValue())
                .isEqualTo(SanitizableData.SANITIZED_VALUE);
        assertThat(sanitizer.apply(data("canal.source.ssl.key-store-password", "x")).getValue())
                .isEqualTo(SanitizableData.SANITIZED_VALUE);
        assertThat(sanitizer.apply(data("canal.sources.main.addresses[0]", "tcp://u:p@canal1:11111")).getValue())
                .isEqualTo("tcp://canal1:11111");
        assertThat(sanitizer.apply(data("canal.sources.main.host", "db1")).getValue()).isEqualTo("db1");
        assertThat(sanitizer.apply(data("other.password", "left to the application")).getValue())
                .isEqualTo("left to the application");
    }

    private static SanitizableData data(String key, Object value) {
        return new SanitizableData(null, key, value);
    }
}
