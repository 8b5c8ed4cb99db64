package dev.canalboot.actuate;

import org.junit.jupiter.api.Test;

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
        assertThat(Redaction.redact(text)).as("MySQL's flag says whether a password was sent, not which")
                .isEqualTo(text);
        assertThat(Redaction.redact("(using password: NO)")).isEqualTo("(using password: NO)");
        assertThat(Redaction.redact("new password: YES")).isEqualTo("new password: ******");
        assertThat(Redaction.redact("db1:3306")).isEqualTo("db1:3306");
        assertThat(Redaction.redact(null)).isNull();
    }
}
