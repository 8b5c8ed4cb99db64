package dev.canalboot.internal.mysql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expectations read off MySQL 8.0.31 ({@code SELECT CAST(CAST(x AS DOUBLE) AS JSON)}); all of them: {@link JsonDoublesIT}. */
class JsonDoublesTest {

    @Test
    void plainNotationFromFifteenPlacesAfterThePointToFifteenDigitsBeforeIt() {
        assertThat(JsonDoubles.text(1e-15)).isEqualTo("0.000000000000001");
        assertThat(JsonDoubles.text(-7.5e-15)).isEqualTo("-0.0000000000000075");
        assertThat(JsonDoubles.text(1.2345678901234568E-15)).isEqualTo("0.0000000000000012345678901234568");
        assertThat(JsonDoubles.text(1e-16)).isEqualTo("1e-16");
        assertThat(JsonDoubles.text(0.1)).isEqualTo("0.1");
        assertThat(JsonDoubles.text(2.5)).isEqualTo("2.5");
        assertThat(JsonDoubles.text(1e14)).isEqualTo("100000000000000.0");
        assertThat(JsonDoubles.text(1e15)).isEqualTo("1e15");
        assertThat(JsonDoubles.text(-7.5e9)).isEqualTo("-7500000000.0");
    }

    @Test
    void digitsAfterThePointKeepPlainNotationPastFifteenDigits() {
        assertThat(JsonDoubles.text(1.6605903194087922E15)).isEqualTo("1660590319408792.2");
        assertThat(JsonDoubles.text(1.2998024710721083E14)).isEqualTo("129980247107210.83");
    }

    @Test
    void exponentsAreLowerCaseWithoutPlusOrPointZero() {
        assertThat(JsonDoubles.text(1e20)).isEqualTo("1e20");
        assertThat(JsonDoubles.text(1.5e300)).isEqualTo("1.5e300");
        assertThat(JsonDoubles.text(-1e-300)).isEqualTo("-1e-300");
        assertThat(JsonDoubles.text(2.5e-310)).isEqualTo("2.5e-310");
        assertThat(JsonDoubles.text(Double.MIN_VALUE)).isEqualTo("5e-324");
    }

    @Test
    void theShortestDigitsThatReadBackWhereJava17PrintsMore() {
        // Double.toString on Java 17 gives 7.8475983056526093E17 and 1.23456789012345677E18
        assertThat(JsonDoubles.text(7.8475983056526093E17)).isEqualTo("7.847598305652609e17");
        assertThat(JsonDoubles.text(1.23456789012345677E18)).isEqualTo("1.2345678901234568e18");
        assertThat(JsonDoubles.text(3.2405100664635398E17)).isEqualTo("3.24051006646354e17");
    }

    @Test
    void zeroesKeepTheirSign() {
        assertThat(JsonDoubles.text(0.0)).isEqualTo("0.0");
        assertThat(JsonDoubles.text(-0.0)).isEqualTo("-0.0");
    }
}
