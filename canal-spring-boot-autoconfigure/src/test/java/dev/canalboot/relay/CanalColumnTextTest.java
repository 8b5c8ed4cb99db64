package dev.canalboot.relay;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** Model values as the text of Canal's flat messages, and the SQL type codes a Canal 1.1.7 server gives columns. */
class CanalColumnTextTest {

    private final CanalColumnText text = new CanalColumnText(ZoneId.of("Asia/Shanghai"));

    private static Column column(ColumnType type) {
        return column(type, 0, false);
    }

    private static Column column(ColumnType type, int scale, boolean unsigned, String... elements) {
        return new Column("c", 0, type, unsigned, 0, scale, null, false, List.of(elements));
    }

    @Test
    void sqlNullIsNull() {
        assertThat(text.value(column(ColumnType.VARCHAR), null)).isNull();
        assertThat(text.value(column(ColumnType.DATETIME), null)).isNull();
    }

    @Test
    void integersAndDecimalsAreWrittenInFull() {
        assertThat(text.value(column(ColumnType.INT), 42)).isEqualTo("42");
        assertThat(text.value(column(ColumnType.BIGINT, 0, true), new BigInteger("18446744073709551615")))
                .isEqualTo("18446744073709551615");
        assertThat(text.value(column(ColumnType.BIGINT), -5L)).isEqualTo("-5");
        assertThat(text.value(column(ColumnType.DECIMAL), new BigDecimal("1E+3"))).as("no exponent").isEqualTo("1000");
        assertThat(text.value(column(ColumnType.DECIMAL), new BigDecimal("12.50"))).isEqualTo("12.50");
        assertThat(text.value(column(ColumnType.YEAR), 2024)).isEqualTo("2024");
    }

    @Test
    void bitsAreOneOrZeroForBit1AndTheUnsignedNumberOtherwise() {
        assertThat(text.value(column(ColumnType.BIT), true)).isEqualTo("1");
        assertThat(text.value(column(ColumnType.BIT), false)).isEqualTo("0");
        assertThat(text.value(column(ColumnType.BIT), 5L)).isEqualTo("5");
        assertThat(text.value(column(ColumnType.BIT), -1L)).isEqualTo("18446744073709551615");
    }

    @Test
    void temporalValuesCarryAsManyFractionDigitsAsTheColumnsPrecision() {
        LocalDateTime value = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000);
        assertThat(text.value(column(ColumnType.DATETIME), value)).isEqualTo("2026-01-02 03:04:05");
        assertThat(text.value(column(ColumnType.DATETIME, 3, false), value)).isEqualTo("2026-01-02 03:04:05.123");
        assertThat(text.value(column(ColumnType.DATETIME, 6, false), value)).isEqualTo("2026-01-02 03:04:05.123456");
        assertThat(text.value(column(ColumnType.DATE), LocalDate.of(33, 2, 3))).as("years padded").isEqualTo("0033-02-03");
    }

    @Test
    void aTimestampIsLocalTextInTheGivenZone() {
        Instant instant = Instant.parse("2026-01-01T16:30:00.5Z");
        assertThat(text.value(column(ColumnType.TIMESTAMP, 1, false), instant)).isEqualTo("2026-01-02 00:30:00.5");
        assertThat(new CanalColumnText(ZoneId.of("UTC")).value(column(ColumnType.TIMESTAMP), instant))
                .isEqualTo("2026-01-01 16:30:00");
    }

    @Test
    void timesGoBeyond24HoursAndBelowZero() {
        assertThat(text.value(column(ColumnType.TIME), Duration.ofHours(838).plusMinutes(59).plusSeconds(59)))
                .isEqualTo("838:59:59");
        assertThat(text.value(column(ColumnType.TIME, 2, false), Duration.ofSeconds(-3723, -500_000_000)))
                .isEqualTo("-01:02:03.50");
        assertThat(text.value(column(ColumnType.TIME), Duration.ZERO)).isEqualTo("00:00:00");
    }

    @Test
    void binaryValuesAreOneCharPerByteAndBinaryLosesItsTrailingZeros() {
        byte[] bytes = {(byte) 0xE9, 0x41, 0, 0};
        assertThat(text.value(column(ColumnType.VARBINARY), bytes)).isEqualTo("\u00e9A\0\0");
        assertThat(text.value(column(ColumnType.BLOB), bytes)).isEqualTo("\u00e9A\0\0");
        assertThat(text.value(column(ColumnType.BINARY), bytes)).isEqualTo("\u00e9A");
        assertThat(text.value(column(ColumnType.BINARY), new byte[]{0, 0})).isEmpty();
        assertThat(text.value(column(ColumnType.VARCHAR), new byte[]{0x61})).as("undecodable text").isEqualTo("a");
    }

    @Test
    void enumsAreTheirElementNumberAndSetsTheirBitMask() {
        Column size = column(ColumnType.ENUM, 0, false, "S", "M", "L");
        assertThat(text.value(size, "M")).isEqualTo("2");
        assertThat(text.value(size, "")).as("the invalid value").isEqualTo("0");
        Column flags = column(ColumnType.SET, 0, false, "a", "b", "c");
        assertThat(text.value(flags, new LinkedHashSet<>(List.of("a", "c")))).isEqualTo("5");
        assertThat(text.value(flags, Set.of())).isEqualTo("0");
    }

    @Test
    void withoutKnownElementsEnumsAndSetsAreTheirText() {
        assertThat(text.value(column(ColumnType.ENUM), "M")).isEqualTo("M");
        assertThat(text.value(column(ColumnType.SET), new LinkedHashSet<>(List.of("a", "c")))).isEqualTo("a,c");
    }

    @Test
    void otherValuesAreTheirString() {
        assertThat(text.value(column(ColumnType.VARCHAR), "h\u00e9llo")).isEqualTo("h\u00e9llo");
        assertThat(text.value(column(ColumnType.DOUBLE), 1.5d)).isEqualTo("1.5");
        assertThat(text.value(column(ColumnType.JSON), "{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    @Test
    void aZoneIsRequired() {
        assertThatNullPointerException().isThrownBy(() -> new CanalColumnText(null)).withMessage("zone");
    }

    @Test
    void sqlTypesDependOnTheChangeAsACanalServerWritesThem() {
        Column unsignedInt = column(ColumnType.INT, 0, true);
        assertThat(CanalColumnText.sqlType(unsignedInt, ChangeType.INSERT)).isEqualTo(Types.INTEGER);
        assertThat(CanalColumnText.sqlType(unsignedInt, ChangeType.DELETE)).isEqualTo(Types.INTEGER);
        assertThat(CanalColumnText.sqlType(unsignedInt, ChangeType.UPDATE)).as("one size up").isEqualTo(Types.BIGINT);
        assertThat(CanalColumnText.sqlType(column(ColumnType.BIGINT, 0, true), ChangeType.UPDATE)).isEqualTo(Types.DECIMAL);
        assertThat(CanalColumnText.sqlType(column(ColumnType.TINYINT, 0, true), ChangeType.UPDATE)).isEqualTo(Types.SMALLINT);
        assertThat(CanalColumnText.sqlType(column(ColumnType.SET), ChangeType.INSERT)).isEqualTo(Types.BLOB);
        assertThat(CanalColumnText.sqlType(column(ColumnType.SET), ChangeType.UPDATE)).isEqualTo(Types.BIT);
        assertThat(CanalColumnText.sqlType(column(ColumnType.JSON), ChangeType.INSERT)).isEqualTo(Types.OTHER);
        assertThat(CanalColumnText.sqlType(column(ColumnType.JSON), ChangeType.UPDATE)).isEqualTo(Types.VARCHAR);
        assertThat(CanalColumnText.sqlType(column(ColumnType.ENUM), ChangeType.UPDATE)).isEqualTo(Types.INTEGER);
        assertThat(CanalColumnText.sqlType(column(ColumnType.VARBINARY), ChangeType.INSERT)).isEqualTo(Types.BLOB);
        assertThat(CanalColumnText.sqlType(column(ColumnType.TEXT), ChangeType.INSERT)).isEqualTo(Types.CLOB);
        assertThat(CanalColumnText.sqlType(column(ColumnType.TIMESTAMP), ChangeType.INSERT)).isEqualTo(Types.TIMESTAMP);
        assertThat(CanalColumnText.sqlType(column(ColumnType.YEAR), ChangeType.INSERT)).isEqualTo(Types.VARCHAR);
        assertThat(CanalColumnText.sqlType(column(ColumnType.FLOAT), ChangeType.INSERT)).isEqualTo(Types.REAL);
    }
}
