package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.ZeroDatePolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Value decoders against byte layouts derived from MySQL's storage format descriptions. */
class ColumnDecoderTest {

    private static Column column(ColumnType type, boolean unsigned, int length, List<String> elements) {
        return new Column("c", 0, type, unsigned, length, 0, null, false, elements);
    }

    /** Decodes a value that fills {@code bytes}, and checks that skipping it steps over exactly as many bytes. */
    private static Object decode(int type, int meta, Column column, byte... bytes) {
        ColumnDecoder decoder = ColumnDecoder.of(type, meta, column, StandardCharsets.UTF_8, ZeroDatePolicy.NULL);
        ByteReader in = ByteReader.of(bytes);
        Object value = decoder.decode(in);
        assertThat(in.remaining()).as("bytes left after the value").isZero();
        ByteReader skipped = ByteReader.of(bytes);
        decoder.skip(skipped);
        assertThat(skipped.remaining()).as("bytes left after skipping the value").isZero();
        return value;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void integersAreLittleEndianWithSignFromTheColumn() {
        assertThat(decode(MysqlType.TINY, 0, column(ColumnType.TINYINT, false, 0, null), bytes(0xff))).isEqualTo(-1);
        assertThat(decode(MysqlType.TINY, 0, column(ColumnType.TINYINT, true, 0, null), bytes(0xff))).isEqualTo(255);
        assertThat(decode(MysqlType.SHORT, 0, column(ColumnType.SMALLINT, false, 0, null), bytes(0x00, 0x80)))
                .isEqualTo(-32768);
        assertThat(decode(MysqlType.SHORT, 0, column(ColumnType.SMALLINT, true, 0, null), bytes(0x00, 0x80)))
                .isEqualTo(32768);
        assertThat(decode(MysqlType.INT24, 0, column(ColumnType.MEDIUMINT, false, 0, null), bytes(0x00, 0x00, 0x80)))
                .isEqualTo(-8388608);
        assertThat(decode(MysqlType.INT24, 0, column(ColumnType.MEDIUMINT, true, 0, null), bytes(0xff, 0xff, 0xff)))
                .isEqualTo(16777215);
        assertThat(decode(MysqlType.LONG, 0, column(ColumnType.INT, false, 0, null), bytes(0xff, 0xff, 0xff, 0xff)))
                .isEqualTo(-1);
        assertThat(decode(MysqlType.LONG, 0, column(ColumnType.INT, true, 0, null), bytes(0xff, 0xff, 0xff, 0xff)))
                .isEqualTo(4294967295L);
        byte[] ones = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertThat(decode(MysqlType.LONGLONG, 0, column(ColumnType.BIGINT, false, 0, null), ones)).isEqualTo(-1L);
        assertThat(decode(MysqlType.LONGLONG, 0, column(ColumnType.BIGINT, true, 0, null), ones))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(decode(MysqlType.LONGLONG, 0, column(ColumnType.BIGINT, true, 0, null),
                bytes(1, 0, 0, 0, 0, 0, 0, 0))).isEqualTo(BigInteger.ONE);
    }

    @Test
    void floatingPointIsIeeeLittleEndian() {
        int f = Float.floatToIntBits(-3.25f);
        assertThat(decode(MysqlType.FLOAT, 4, column(ColumnType.FLOAT, false, 0, null),
                bytes(f, f >> 8, f >> 16, f >> 24))).isEqualTo(-3.25f);
        long d = Double.doubleToLongBits(1e-300);
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (d >> (8 * i));
        }
        assertThat(decode(MysqlType.DOUBLE, 8, column(ColumnType.DOUBLE, false, 0, null), b)).isEqualTo(1e-300);
    }

    @Test
    void decimalFollowsTheDocumentedExample() {
        // DECIMAL(14,4) 1234567890.1234: 1 leading digit (1 byte), 9 digits (4 bytes), 4 fraction digits (2 bytes)
        Column c = column(ColumnType.DECIMAL, false, 0, null);
        assertThat(decode(MysqlType.NEWDECIMAL, (14 << 8) | 4, c, bytes(0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2)))
                .isEqualTo(new BigDecimal("1234567890.1234"));
        // negative: every bit inverted
        assertThat(decode(MysqlType.NEWDECIMAL, (14 << 8) | 4, c, bytes(0x7e, 0xf2, 0x04, 0xc7, 0x2d, 0xfb, 0x2d)))
                .isEqualTo(new BigDecimal("-1234567890.1234"));
    }

    @Test
    void datesPackDayMonthYearIntoThreeBytes() {
        int v = 2024 * 512 + 2 * 32 + 29;
        assertThat(decode(MysqlType.DATE, 0, column(ColumnType.DATE, false, 0, null), bytes(v, v >> 8, v >> 16)))
                .isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(decode(MysqlType.DATE, 0, column(ColumnType.DATE, false, 0, null), bytes(0, 0, 0))).isNull();
        ByteReader zero = ByteReader.of(bytes(0, 0, 0));
        ColumnDecoder strict = ColumnDecoder.of(MysqlType.DATE, 0, column(ColumnType.DATE, false, 0, null), null,
                ZeroDatePolicy.ERROR);
        assertThatThrownBy(() -> strict.decode(zero)).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("zero");
    }

    /** DATETIME2 as MySQL's my_datetime_packed_to_binary writes it. */
    static byte[] datetime2(LocalDateTime t, int fsp) {
        long ym = t.getYear() * 13L + t.getMonthValue();
        long ymd = (ym << 5) | t.getDayOfMonth();
        long hms = ((long) t.getHour() << 12) | ((long) t.getMinute() << 6) | t.getSecond();
        long intPart = ((ymd << 17) | hms) + 0x8000000000L;
        int micros = t.getNano() / 1000;
        ByteBuf out = Unpooled.buffer();
        for (int i = 4; i >= 0; i--) {
            out.writeByte((int) (intPart >>> (8 * i)));
        }
        switch (fsp) {
            case 1, 2 -> out.writeByte(micros / 10000);
            case 3, 4 -> out.writeShort(micros / 100);
            case 5, 6 -> out.writeMedium(micros);
            default -> { }
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }

    @Test
    void datetime2AtEveryPrecision() {
        Column c = column(ColumnType.DATETIME, false, 0, null);
        LocalDateTime t = LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123456000);
        assertThat(decode(MysqlType.DATETIME2, 0, c, datetime2(t.withNano(0), 0))).isEqualTo(t.withNano(0));
        assertThat(decode(MysqlType.DATETIME2, 2, c, datetime2(t.withNano(120000000), 2)))
                .isEqualTo(t.withNano(120000000));
        assertThat(decode(MysqlType.DATETIME2, 4, c, datetime2(t.withNano(123400000), 4)))
                .isEqualTo(t.withNano(123400000));
        assertThat(decode(MysqlType.DATETIME2, 6, c, datetime2(t, 6))).isEqualTo(t);
        assertThat(decode(MysqlType.DATETIME2, 0, c, bytes(0x80, 0, 0, 0, 0))).as("zero datetime").isNull();
    }

    @Test
    void timestamp2IsBigEndianSecondsAndFraction() {
        Column c = column(ColumnType.TIMESTAMP, false, 0, null);
        long s = 1709210096L;
        assertThat(decode(MysqlType.TIMESTAMP2, 3, c, bytes((int) (s >> 24), (int) (s >> 16), (int) (s >> 8), (int) s,
                1230 >> 8, 1230))).isEqualTo(Instant.ofEpochSecond(s, 123_000_000));
        assertThat(decode(MysqlType.TIMESTAMP2, 0, c, bytes(0, 0, 0, 0))).as("zero timestamp").isNull();
    }

    /** TIME2 as MySQL's my_time_packed_to_binary writes it (floor shift for the integer part, C remainder). */
    static byte[] time2(Duration d, int fsp) {
        boolean negative = d.isNegative();
        Duration abs = d.abs();
        long seconds = abs.getSeconds();
        long hms = ((seconds / 3600) << 12) | (((seconds / 60) % 60) << 6) | (seconds % 60);
        long packed = (hms << 24) + abs.getNano() / 1000;
        if (negative) {
            packed = -packed;
        }
        ByteBuf out = Unpooled.buffer();
        switch (fsp) {
            case 1, 2, 3, 4 -> {
                long intPart = (packed >> 24) + 0x800000L;
                long frac = packed % (1L << 24);
                out.writeMedium((int) intPart);
                if (fsp <= 2) {
                    out.writeByte((int) (frac / 10000));
                } else {
                    out.writeShort((int) (frac / 100));
                }
            }
            case 5, 6 -> {
                long v = packed + 0x800000000000L;
                for (int i = 5; i >= 0; i--) {
                    out.writeByte((int) (v >>> (8 * i)));
                }
            }
            default -> out.writeMedium((int) ((packed >> 24) + 0x800000L));
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        return b;
    }

    @Test
    void time2NegativeAndBeyondADay() {
        Column c = column(ColumnType.TIME, false, 0, null);
        Duration max = Duration.ofHours(838).plusMinutes(59).plusSeconds(59);
        for (Duration d : List.of(max, max.negated(), Duration.ofHours(25), Duration.ZERO)) {
            assertThat(decode(MysqlType.TIME2, 0, c, time2(d, 0))).isEqualTo(d);
        }
        Duration minusOneAndHalf = Duration.ofMillis(-1500);
        assertThat(decode(MysqlType.TIME2, 1, c, time2(minusOneAndHalf, 1))).isEqualTo(minusOneAndHalf);
        assertThat(decode(MysqlType.TIME2, 3, c, time2(minusOneAndHalf, 3))).isEqualTo(minusOneAndHalf);
        Duration micro = Duration.ofHours(-1).minusMinutes(2).minusSeconds(3).minusNanos(4000);
        assertThat(decode(MysqlType.TIME2, 6, c, time2(micro, 6))).isEqualTo(micro);
        Duration tenth = Duration.ofMillis(-100);
        assertThat(decode(MysqlType.TIME2, 2, c, time2(tenth, 2))).isEqualTo(tenth);
    }

    @Test
    void yearBitEnumSet() {
        assertThat(decode(MysqlType.YEAR, 0, column(ColumnType.YEAR, false, 0, null), bytes(124))).isEqualTo(2024);
        assertThat(decode(MysqlType.YEAR, 0, column(ColumnType.YEAR, false, 0, null), bytes(0))).isEqualTo(0);
        assertThat(decode(MysqlType.BIT, 1, column(ColumnType.BIT, false, 1, null), bytes(1))).isEqualTo(true);
        assertThat(decode(MysqlType.BIT, (2 << 8) | 1, column(ColumnType.BIT, false, 17, null), bytes(1, 0, 5)))
                .isEqualTo(65541L);
        Column e = column(ColumnType.ENUM, false, 0, List.of("a", "b", "c"));
        assertThat(decode(MysqlType.ENUM, 2, e, bytes(3, 0))).isEqualTo("c");
        assertThat(decode(MysqlType.ENUM, 1, e, bytes(0))).isEqualTo("");
        Column s = column(ColumnType.SET, false, 0, List.of("x", "y", "z"));
        assertThat(decode(MysqlType.SET, 1, s, bytes(0b101))).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.ITERABLE).containsExactly("x", "z");
        assertThatThrownBy(() -> decode(MysqlType.ENUM, 1, e, bytes(9))).isInstanceOf(BinlogDecodeException.class);
    }

    @Test
    void stringsUseTheirLengthPrefixAndCharset() {
        Column vc = column(ColumnType.VARCHAR, false, 0, null);
        byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
        byte[] oneByte = new byte[1 + text.length];
        oneByte[0] = (byte) text.length;
        System.arraycopy(text, 0, oneByte, 1, text.length);
        assertThat(decode(MysqlType.VARCHAR, 200, vc, oneByte)).isEqualTo("héllo");
        byte[] twoBytes = new byte[2 + text.length];
        twoBytes[0] = (byte) text.length;
        System.arraycopy(text, 0, twoBytes, 2, text.length);
        assertThat(decode(MysqlType.VARCHAR, 1200, vc, twoBytes)).isEqualTo("héllo");
        ByteReader gbk = ByteReader.of(bytes(4, 0xd6, 0xd0, 0xce, 0xc4));
        assertThat(ColumnDecoder.of(MysqlType.VARCHAR, 40, vc, java.nio.charset.Charset.forName("GBK"),
                ZeroDatePolicy.NULL).decode(gbk)).isEqualTo("中文");
        // BINARY(4): the binlog drops trailing zero bytes, the value has all 4
        ByteReader binary = ByteReader.of(bytes(2, 'a', 'b'));
        assertThat((byte[]) ColumnDecoder.of(MysqlType.STRING, 4, column(ColumnType.BINARY, false, 4, null), null,
                ZeroDatePolicy.NULL).decode(binary)).containsExactly('a', 'b', 0, 0);
        ByteReader blob = ByteReader.of(bytes(3, 0, 1, 2, 3));
        assertThat((byte[]) ColumnDecoder.of(MysqlType.BLOB, 2, column(ColumnType.BLOB, false, 0, null), null,
                ZeroDatePolicy.NULL).decode(blob)).containsExactly(1, 2, 3);
    }

    @Test
    void aLengthBeyondTheEventIsADecodeError() {
        ByteReader in = ByteReader.of(bytes(0xff, 0xff, 0xff, 0x7f, 1, 2));
        ColumnDecoder blob = ColumnDecoder.of(MysqlType.BLOB, 4, column(ColumnType.BLOB, false, 0, null), null,
                ZeroDatePolicy.NULL);
        assertThatThrownBy(() -> blob.decode(in)).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("exceeds");
    }
}
