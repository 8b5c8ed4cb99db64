package dev.canalboot.internal.binlog.value;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MySQL's temporal storage formats, laid out from the format description (the DATETIME2 and TIME2 writers are
 * {@link ColumnDecoderTest#datetime2} and {@link ColumnDecoderTest#time2}).
 */
class TemporalsTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] date(int year, int month, int day) {
        int v = year << 9 | month << 5 | day;
        return bytes(v, v >> 8, v >> 16);
    }

    @Test
    void fractionBytesHoldTwoDigitsEach() {
        int[] expected = {0, 1, 1, 2, 2, 3, 3};
        for (int fsp = 0; fsp <= 6; fsp++) {
            assertThat(Temporals.fractionBytes(fsp)).as("fsp %d", fsp).isEqualTo(expected[fsp]);
        }
    }

    @Test
    void dateUnpacksDayMonthAndYear() {
        Temporals.LastDate dates = new Temporals.LastDate();
        assertThat(Temporals.date(ByteReader.of(date(2024, 2, 29)), dates)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(Temporals.date(ByteReader.of(date(9999, 12, 31)), dates)).isEqualTo(LocalDate.of(9999, 12, 31));
    }

    @Test
    void zeroAndInvalidDatesAreNullForTheCallersPolicy() {
        Temporals.LastDate dates = new Temporals.LastDate();
        assertThat(Temporals.date(ByteReader.of(date(0, 0, 0)), dates)).isNull();
        assertThat(Temporals.date(ByteReader.of(date(2024, 0, 15)), dates)).as("zero month").isNull();
        assertThat(Temporals.date(ByteReader.of(date(2024, 5, 0)), dates)).as("zero day").isNull();
        // ALLOW_INVALID_DATES stores February 30th
        assertThat(Temporals.date(ByteReader.of(date(2023, 2, 30)), dates)).isNull();
    }

    @Test
    void lastDateIsReusedOnlyForTheSameDate() {
        Temporals.LastDate dates = new Temporals.LastDate();
        LocalDate first = Temporals.date(ByteReader.of(date(2024, 3, 1)), dates);
        assertThat(Temporals.date(ByteReader.of(date(2024, 3, 1)), dates)).isSameAs(first);
        assertThat(Temporals.date(ByteReader.of(date(2024, 3, 2)), dates)).isEqualTo(LocalDate.of(2024, 3, 2));
        assertThat(Temporals.date(ByteReader.of(date(2024, 4, 1)), dates)).isEqualTo(LocalDate.of(2024, 4, 1));
        assertThat(Temporals.date(ByteReader.of(date(2025, 3, 1)), dates)).isEqualTo(LocalDate.of(2025, 3, 1));
    }

    @Test
    void datetime2ReadsEachFractionWidth() {
        LocalDateTime t = LocalDateTime.of(2024, 2, 29, 23, 59, 58, 987_654_000);
        int[][] cases = {{0, 0}, {1, 900_000_000}, {2, 980_000_000}, {3, 987_000_000}, {4, 987_600_000},
                {5, 987_650_000}, {6, 987_654_000}};
        for (int[] c : cases) {
            LocalDateTime expected = t.withNano(c[1]);
            ByteReader in = ByteReader.of(ColumnDecoderTest.datetime2(expected, c[0]));
            assertThat(Temporals.datetime2(in, c[0], new Temporals.LastDate())).as("fsp %d", c[0])
                    .isEqualTo(expected);
            assertThat(in.hasRemaining()).as("fsp %d consumed", c[0]).isFalse();
        }
    }

    @Test
    void datetime2ZeroNegativeAndInvalidAreNull() {
        Temporals.LastDate dates = new Temporals.LastDate();
        assertThat(Temporals.datetime2(ByteReader.of(bytes(0x80, 0, 0, 0, 0)), 0, dates)).as("zero").isNull();
        assertThat(Temporals.datetime2(ByteReader.of(bytes(0x7f, 0xff, 0xff, 0xff, 0xff)), 0, dates))
                .as("below the offset").isNull();
        // 2023-02-30 00:00:00 (ALLOW_INVALID_DATES)
        long intPart = ((((2023L * 13 + 2) << 5) | 30) << 17) + 0x8000000000L;
        byte[] invalid = bytes((int) (intPart >> 32), (int) (intPart >> 24), (int) (intPart >> 16),
                (int) (intPart >> 8), (int) intPart);
        assertThat(Temporals.datetime2(ByteReader.of(invalid), 0, dates)).isNull();
    }

    @Test
    void oldDatetimeIsTheDecimalNumberLittleEndian() {
        long v = 20240229123456L;
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        assertThat(Temporals.datetime(ByteReader.of(b), new Temporals.LastDate()))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 34, 56));
        assertThat(Temporals.datetime(ByteReader.of(new byte[8]), new Temporals.LastDate())).isNull();
    }

    @Test
    void timestamp2ReadsEachFractionWidth() {
        long s = 1_709_210_096L;
        int a = (int) (s >> 24);
        int b = (int) (s >> 16);
        int c = (int) (s >> 8);
        int d = (int) s;
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(a, b, c, d)), 0)).isEqualTo(Instant.ofEpochSecond(s));
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(a, b, c, d, 12)), 2))
                .isEqualTo(Instant.ofEpochSecond(s, 120_000_000));
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(a, b, c, d, 0x04, 0xd2)), 4))
                .isEqualTo(Instant.ofEpochSecond(s, 123_400_000));
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(a, b, c, d, 0x0f, 0x42, 0x3f)), 6))
                .isEqualTo(Instant.ofEpochSecond(s, 999_999_000));
        // above 2^31 seconds: unsigned
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(0xff, 0xff, 0xff, 0xff)), 0))
                .isEqualTo(Instant.ofEpochSecond(4_294_967_295L));
    }

    @Test
    void zeroTimestampIsNullButAFractionAfterTheEpochIsNot() {
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(0, 0, 0, 0, 0, 0, 0)), 6)).isNull();
        assertThat(Temporals.timestamp2(ByteReader.of(bytes(0, 0, 0, 0, 0, 0, 1)), 6))
                .isEqualTo(Instant.ofEpochSecond(0, 1000));
        assertThat(Temporals.timestamp(ByteReader.of(bytes(0, 0, 0, 0)))).isNull();
        assertThat(Temporals.timestamp(ByteReader.of(bytes(0xf0, 0x4c, 0xe0, 0x65))))
                .as("little-endian").isEqualTo(Instant.ofEpochSecond(0x65e04cf0L));
    }

    @Test
    void time2SignsFractionsAndHoursBeyondADay() {
        Duration max = Duration.ofHours(838).plusMinutes(59).plusSeconds(59);
        for (int fsp = 0; fsp <= 6; fsp++) {
            Duration fraction = fsp == 0 ? Duration.ZERO : Duration.ofNanos(
                    new long[] {0, 100_000_000, 120_000_000, 123_000_000, 123_400_000, 123_450_000, 123_456_000}[fsp]);
            for (Duration d : new Duration[] {Duration.ZERO, max, max.negated(), Duration.ofHours(100).plus(fraction),
                    Duration.ofSeconds(-1).minus(fraction), fraction.negated()}) {
                ByteReader in = ByteReader.of(ColumnDecoderTest.time2(d, fsp));
                assertThat(Temporals.time2(in, fsp)).as("%s at fsp %d", d, fsp).isEqualTo(d);
                assertThat(in.hasRemaining()).isFalse();
            }
        }
    }

    @Test
    void time2NegativeFractionBorrowsFromTheIntegerPart() {
        // -00:00:01.5 at fsp 1: integer part floor(-1.03) = -2 -> 0x7ffffe, fraction -50 -> 0xce
        assertThat(Temporals.time2(ByteReader.of(bytes(0x7f, 0xff, 0xfe, 0xce)), 1)).isEqualTo(Duration.ofMillis(-1500));
        // the same value at fsp 3: fraction -5000 -> 0xec78
        assertThat(Temporals.time2(ByteReader.of(bytes(0x7f, 0xff, 0xfe, 0xec, 0x78)), 3))
                .isEqualTo(Duration.ofMillis(-1500));
    }

    @Test
    void oldTimeIsTheSignedDecimalNumberHhmmss() {
        int v = -1_023_456; // -102:34:56
        assertThat(Temporals.time(ByteReader.of(bytes(v, v >> 8, v >> 16))))
                .isEqualTo(Duration.ofHours(-102).minusMinutes(34).minusSeconds(56));
        int w = 235_959;
        assertThat(Temporals.time(ByteReader.of(bytes(w, w >> 8, w >> 16))))
                .isEqualTo(Duration.ofHours(23).plusMinutes(59).plusSeconds(59));
    }
}
