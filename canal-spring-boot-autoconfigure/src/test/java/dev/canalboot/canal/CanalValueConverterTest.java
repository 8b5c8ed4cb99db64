package dev.canalboot.canal;

import dev.canalboot.model.Column;
import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanalValueConverterTest {

    private final CanalValueConverter converter =
            new CanalValueConverter(ZoneId.of("Asia/Shanghai"), ZeroDatePolicy.NULL);

    private static Column column(String typeText) {
        MySqlTypeText t = MySqlTypeText.parse(typeText);
        return new Column("c", 0, t.type(), t.unsigned(), t.length(), t.scale(), null, false, t.elements());
    }

    private Object convert(String typeText, String value) {
        Column column = column(typeText);
        Object converted = converter.convert(column, value, false);
        if (converted != null) {
            assertThat(converted).isInstanceOf(column.javaType());
        }
        return converted;
    }

    @Test
    void integersFollowTheModelWidths() {
        assertThat(convert("tinyint(4)", "-128")).isEqualTo(-128);
        assertThat(convert("tinyint(3) unsigned", "255")).isEqualTo(255);
        assertThat(convert("smallint(6)", "32767")).isEqualTo(32767);
        assertThat(convert("mediumint(8) unsigned", "16777215")).isEqualTo(16777215);
        assertThat(convert("int(11)", "-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThat(convert("int(10) unsigned", "4294967295")).isEqualTo(4294967295L);
        assertThat(convert("bigint(20)", "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(convert("bigint(20) unsigned", "18446744073709551615"))
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void unsignedValuesRenderedAsTwosComplementAreCorrected() {
        assertThat(convert("int unsigned", "-1")).isEqualTo(4294967295L);
        assertThat(convert("tinyint unsigned", "-1")).isEqualTo(255);
        assertThat(convert("bigint unsigned", "-1")).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void outOfRangeIntegerIsAnErrorNamingColumnAndValue() {
        assertThatThrownBy(() -> convert("tinyint", "128"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Column c").hasMessageContaining("'128'").hasMessageContaining("TINYINT");
        assertThatThrownBy(() -> convert("int", "abc")).hasMessageContaining("'abc'");
    }

    @Test
    void decimalsCarryTheColumnScale() {
        assertThat(convert("decimal(10,2)", "1.5")).isEqualTo(new BigDecimal("1.50"));
        assertThat(((BigDecimal) convert("decimal(10,2)", "0")).scale()).isEqualTo(2);
        assertThat(convert("decimal(65,30)", "-0.000000000000000000000000000001"))
                .isEqualTo(new BigDecimal("-0.000000000000000000000000000001"));
        assertThatThrownBy(() -> convert("decimal(10,2)", "1.234")).hasMessageContaining("'1.234'");
    }

    @Test
    void floatingPoint() {
        assertThat(convert("float", "1.1")).isEqualTo(1.1f);
        assertThat(convert("float", "3.4028235E38")).isEqualTo(Float.MAX_VALUE);
        assertThat(convert("double", "-1.7976931348623157E308")).isEqualTo(-Double.MAX_VALUE);
    }

    @Test
    void bitOneIsBooleanWiderBitIsLong() {
        assertThat(convert("bit(1)", "1")).isEqualTo(true);
        assertThat(convert("bit(1)", "0")).isEqualTo(false);
        assertThat(convert("bit(8)", "255")).isEqualTo(255L);
        assertThat(convert("bit(64)", "18446744073709551615")).isEqualTo(-1L);
    }

    @Test
    void temporals() {
        assertThat(convert("year(4)", "2155")).isEqualTo(2155);
        assertThat(convert("date", "1000-01-01")).isEqualTo(LocalDate.of(1000, 1, 1));
        assertThat(convert("datetime(3)", "9999-12-31 23:59:59.999"))
                .isEqualTo(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_000_000));
        assertThat(convert("datetime", "2024-02-29 01:02:03"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 1, 2, 3));
        assertThat(convert("datetime(6)", "2024-02-29 01:02:03.000001"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 1, 2, 3, 1000));
    }

    @Test
    void aDateLikeTheLastOneIsReusedAndAnyOtherConvertedAnew() {
        assertThat(convert("date", "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(convert("datetime", "2024-02-29 10:11:12")).isEqualTo(LocalDateTime.of(2024, 2, 29, 10, 11, 12));
        assertThat(convert("datetime", "2024-03-29 10:11:12")).as("another month")
                .isEqualTo(LocalDateTime.of(2024, 3, 29, 10, 11, 12));
        assertThat(convert("date", "2024-03-28")).as("another day").isEqualTo(LocalDate.of(2024, 3, 28));
        assertThat(convert("date", "2023-03-28")).as("another year").isEqualTo(LocalDate.of(2023, 3, 28));
        assertThatThrownBy(() -> convert("date", "2023-02-29")).as("still validated").hasMessageContaining("2023-02-29");
        assertThat(convert("date", "2023-03-28")).isEqualTo(LocalDate.of(2023, 3, 28));
    }

    @Test
    void timestampIsReadInTheServerZone() {
        assertThat(convert("timestamp(6)", "2024-01-01 08:00:00.500000"))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00.5Z"));
        CanalValueConverter utc = new CanalValueConverter(ZoneId.of("UTC"), ZeroDatePolicy.NULL);
        assertThat(utc.convert(column("timestamp"), "2024-01-01 08:00:00", false))
                .isEqualTo(Instant.parse("2024-01-01T08:00:00Z"));
        CanalValueConverter plus8 = new CanalValueConverter(ZoneOffset.ofHours(8), ZeroDatePolicy.NULL);
        assertThat(plus8.convert(column("timestamp(6)"), "2024-01-01 08:00:00.500000", false))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00.5Z"));
        // A zone with daylight saving time: the local time's offset then, the earlier one in an overlap, as atZone
        CanalValueConverter newYork = new CanalValueConverter(ZoneId.of("America/New_York"), ZeroDatePolicy.NULL);
        assertThat(newYork.convert(column("timestamp"), "2024-07-01 12:00:00", false))
                .isEqualTo(Instant.parse("2024-07-01T16:00:00Z"));
        assertThat(newYork.convert(column("timestamp"), "2024-11-03 01:30:00", false))
                .isEqualTo(Instant.parse("2024-11-03T05:30:00Z"));
    }

    @Test
    void timeIsADurationThatMayBeNegativeAndLongerThanADay() {
        assertThat(convert("time", "838:59:59")).isEqualTo(Duration.ofHours(838).plusMinutes(59).plusSeconds(59));
        assertThat(convert("time", "-838:59:59")).isEqualTo(Duration.ofHours(-838).minusMinutes(59).minusSeconds(59));
        assertThat(convert("time(3)", "-00:00:01.500")).isEqualTo(Duration.ofMillis(-1500));
        assertThat(convert("time(6)", "12:34:56.000007")).isEqualTo(Duration.parse("PT12H34M56.000007S"));
        assertThatThrownBy(() -> convert("time", "12:34")).hasMessageContaining("'12:34'");
    }

    @Test
    void zeroDatesAreNullOrAnErrorBySetting() {
        assertThat(convert("date", "0000-00-00")).isNull();
        assertThat(convert("datetime", "0000-00-00 00:00:00")).isNull();
        assertThat(convert("timestamp", "0000-00-00 00:00:00")).isNull();
        assertThat(convert("date", "2024-00-10")).isNull();
        CanalValueConverter strict = new CanalValueConverter(ZoneId.of("UTC"), ZeroDatePolicy.ERROR);
        assertThatThrownBy(() -> strict.convert(column("datetime"), "0000-00-00 00:00:00", false))
                .hasMessageContaining("zero date").hasMessageContaining("0000-00-00 00:00:00");
    }

    @Test
    void malformedTemporalIsAnError() {
        assertThatThrownBy(() -> convert("date", "2024/01/01")).hasMessageContaining("'2024/01/01'");
        assertThatThrownBy(() -> convert("datetime", "2024-13-01 00:00:00")).hasMessageContaining("2024-13-01");
    }

    @Test
    void binaryIsIso88591BytesAndFixedBinaryIsPadded() {
        String allBytes = new String(new byte[]{0, 1, (byte) 0x80, (byte) 0xff}, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat((byte[]) convert("varbinary(10)", allBytes)).containsExactly(0, 1, 0x80, 0xff);
        assertThat((byte[]) convert("blob", "")).isEmpty();
        assertThat((byte[]) convert("binary(4)", "a")).containsExactly('a', 0, 0, 0);
    }

    @Test
    void stringsPassThrough() {
        assertThat(convert("varchar(20)", "")).isEqualTo("");
        assertThat(convert("text", "😀 ü")).isEqualTo("😀 ü");
        assertThat(convert("json", "{\"a\": 1}")).isEqualTo("{\"a\": 1}");
    }

    @Test
    void enumByNameOrIndex() {
        assertThat(convert("enum('x','y')", "y")).isEqualTo("y");
        assertThat(convert("enum('x','y')", "2")).isEqualTo("y");
        assertThat(convert("enum('1','2')", "2")).isEqualTo("2");
        assertThat(convert("enum('x','y')", "")).isEqualTo("");
    }

    @Test
    void setIsOrderedAsDeclared() {
        assertThat(convert("set('a','b','c')", "c,a")).isEqualTo(Set.of("a", "c"));
        assertThat(asSet(convert("set('a','b','c')", "c,a"))).containsExactly("a", "c");
        assertThat(asSet(convert("set('a','b','c')", "5"))).containsExactly("a", "c");
        assertThat(convert("set('a','b')", "")).isEqualTo(Set.of());
        assertThatThrownBy(() -> convert("set('a','b')", "a,z")).hasMessageContaining("'a,z'");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> asSet(Object value) {
        return (Set<String>) value;
    }

    @Test
    void nullIsNull() {
        assertThat(converter.convert(column("int"), "", true)).isNull();
        assertThat(converter.convert(column("varchar(2)"), null, false)).isNull();
    }

    @Test
    void everyConvertedValueHasTheModelJavaType() {
        List<String[]> samples = List.of(
                new String[]{"int", "1"}, new String[]{"int unsigned", "1"}, new String[]{"bigint", "1"},
                new String[]{"bigint unsigned", "1"}, new String[]{"bit(1)", "1"}, new String[]{"bit(3)", "5"},
                new String[]{"set('a')", "a"}, new String[]{"geometry", "xy"});
        for (String[] sample : samples) {
            assertThat(convert(sample[0], sample[1])).isInstanceOf(column(sample[0]).javaType());
        }
    }
}
