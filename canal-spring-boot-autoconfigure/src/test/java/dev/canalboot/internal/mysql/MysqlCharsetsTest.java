package dev.canalboot.internal.mysql;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MysqlCharsetsTest {

    @Test
    void collationIdsMapToJavaCharsets() {
        assertThat(MysqlCharsets.forCollation(45)).isEqualTo(StandardCharsets.UTF_8);   // utf8mb4_general_ci
        assertThat(MysqlCharsets.forCollation(255)).isEqualTo(StandardCharsets.UTF_8);  // utf8mb4_0900_ai_ci
        assertThat(MysqlCharsets.forCollation(33)).isEqualTo(StandardCharsets.UTF_8);   // utf8mb3_general_ci
        assertThat(MysqlCharsets.forCollation(8).name()).isEqualTo("windows-1252");     // latin1_swedish_ci
        assertThat(MysqlCharsets.forCollation(28).name()).isEqualTo("GBK");             // gbk_chinese_ci
        assertThat(MysqlCharsets.forCollation(63)).isNull();                            // binary
        assertThat(MysqlCharsets.isBinary(63)).isTrue();
        assertThat(MysqlCharsets.charsetName(2304 + 8)).isEqualTo("utf8mb4");           // MariaDB uca1400
        assertThat(MysqlCharsets.charsetName(1024 + 8)).isEqualTo("latin1");            // MariaDB nopad
        assertThat(MysqlCharsets.charsetName(999)).isNull();
    }

    @Test
    void charsetNamesMapToJavaCharsets() {
        assertThat(MysqlCharsets.forName("UTF8MB4")).isEqualTo(StandardCharsets.UTF_8);
        assertThat(MysqlCharsets.forName("latin1").name()).isEqualTo("windows-1252");
        assertThat(MysqlCharsets.forName("binary")).isNull();
        assertThat(MysqlCharsets.isKnownName("binary")).isTrue();
        assertThat(MysqlCharsets.isKnownName("klingon")).isFalse();
    }

    @Test
    void charsetsLookedUpOnFirstUseAreTheSameOnEveryUse() {
        for (int i = 0; i < 2; i++) {
            assertThat(MysqlCharsets.forName("ascii")).isEqualTo(StandardCharsets.US_ASCII);
            assertThat(MysqlCharsets.isKnownName("ASCII")).isTrue();
            assertThat(MysqlCharsets.isKnown(11)).isTrue();                                 // ascii_general_ci
            assertThat(MysqlCharsets.forCollation(248).name()).isEqualTo("GB18030");        // gb18030_chinese_ci
            assertThat(MysqlCharsets.forName("ucs2")).isEqualTo(StandardCharsets.UTF_16BE);
            assertThat(MysqlCharsets.isKnown(999)).isFalse();
            assertThat(MysqlCharsets.forName("geostd8")).isSameAs(MysqlCharsets.forName("geostd8")); // own table
            assertThat(MysqlCharsets.isKnownName("geostd8")).isTrue();
            assertThat(MysqlCharsets.forName("no_such_set")).isNull();
            assertThat(MysqlCharsets.isKnownName("no_such_set")).isFalse();
        }
    }
}
