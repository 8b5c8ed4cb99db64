package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MySQL's binary DECIMAL layout, from the storage format description (decimal2bin). */
class DecimalsTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void binarySizeCountsFullGroupsAsFourBytesAndPartialGroupsByTheirDigits() {
        assertThat(Decimals.binarySize(14, 4)).as("1 + 4 integer bytes, 2 fraction bytes").isEqualTo(7);
        assertThat(Decimals.binarySize(1, 0)).isEqualTo(1);
        assertThat(Decimals.binarySize(9, 0)).isEqualTo(4);
        assertThat(Decimals.binarySize(10, 0)).isEqualTo(5);
        assertThat(Decimals.binarySize(9, 9)).isEqualTo(4);
        assertThat(Decimals.binarySize(18, 9)).isEqualTo(8);
        // 35 integer digits: 3 groups + 8 digits (4 bytes); 30 fraction digits: 3 groups + 3 digits (2 bytes)
        assertThat(Decimals.binarySize(65, 30)).isEqualTo(30);
        assertThat(new Decimals.Layout(65, 30).size()).isEqualTo(30);
    }

    @Test
    void decodesTheDocumentedExampleAndItsNegative() {
        // DECIMAL(14,4) 1234567890.1234: leading digit 1, group 234567890, fraction 1234; sign bit set
        ByteReader positive = ByteReader.of(bytes(0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2));
        assertThat(Decimals.decode(positive, 14, 4)).isEqualTo(new BigDecimal("1234567890.1234"));
        assertThat(positive.hasRemaining()).isFalse();
        ByteReader negative = ByteReader.of(bytes(0x7e, 0xf2, 0x04, 0xc7, 0x2d, 0xfb, 0x2d));
        assertThat(Decimals.decode(negative, 14, 4)).isEqualTo(new BigDecimal("-1234567890.1234"));
    }

    @Test
    void zeroKeepsTheColumnScale() {
        BigDecimal zero = Decimals.decode(ByteReader.of(bytes(0x80, 0x00, 0x00)), 5, 2);
        assertThat(zero).isEqualTo(new BigDecimal("0.00"));
        assertThat(zero.scale()).isEqualTo(2);
    }

    @Test
    void valuesAroundTheLongLimitAndTheWidestColumn() {
        for (String text : new String[] {"9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "99999999999999999999", "-99999999999999999999"}) {
            BigDecimal value = new BigDecimal(text);
            assertThat(Decimals.decode(ByteReader.of(encodeDecimal(value, 20, 0)), 20, 0)).isEqualTo(value);
        }
        BigDecimal widest = new BigDecimal("-" + "9".repeat(35) + "." + "9".repeat(30));
        assertThat(Decimals.decode(ByteReader.of(encodeDecimal(widest, 65, 30)), 65, 30)).isEqualTo(widest);
        BigDecimal small = new BigDecimal("-0." + "0".repeat(29) + "1");
        assertThat(Decimals.decode(ByteReader.of(encodeDecimal(small, 65, 30)), 65, 30)).isEqualTo(small);
    }

    @Test
    void oneLayoutDecodesValueAfterValue() {
        Decimals.Layout layout = new Decimals.Layout(14, 4);
        ByteReader in = ByteReader.of(bytes(0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2,
                0x7e, 0xf2, 0x04, 0xc7, 0x2d, 0xfb, 0x2d, 0x55));
        assertThat(layout.decode(in)).isEqualTo(new BigDecimal("1234567890.1234"));
        assertThat(layout.decode(in)).isEqualTo(new BigDecimal("-1234567890.1234"));
        assertThat(in.remaining()).as("the byte after both values is left").isEqualTo(1);
    }

    @Test
    void tooFewBytesNameTheColumnShapeAndTheShortfall() {
        ByteReader in = ByteReader.of(bytes(0x81, 0x0d, 0xfb));
        assertThatThrownBy(() -> Decimals.decode(in, 14, 4)).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("DECIMAL(14,4) needs 7 bytes, 3 left");
        assertThat(in.remaining()).as("nothing consumed").isEqualTo(3);
    }

    @Test
    void aDigitGroupBeyondItsDigitsIsCorrupt() {
        // DECIMAL(2,0) holds one 2-digit group in 1 byte: 100 does not fit 2 digits
        assertThatThrownBy(() -> Decimals.decode(ByteReader.of(bytes(0x80 | 100)), 2, 0))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("corrupt DECIMAL(2,0) digit group 100");
        // a full group of 4 bytes above 999,999,999
        assertThatThrownBy(() -> Decimals.decode(ByteReader.of(bytes(0xbb, 0x9a, 0xca, 0x00)), 9, 0))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("corrupt DECIMAL(9,0) digit group 1000000000");
    }

    @Test
    void decimalRoundTripsThroughTheStorageFormat() {
        Random random = new Random(42);
        int[][] shapes = {{10, 2}, {65, 30}, {18, 0}, {5, 5}, {19, 9}, {38, 10}, {1, 0}, {30, 29}, {20, 6}, {45, 0}};
        for (int[] shape : shapes) {
            for (int i = 0; i < 400; i++) {
                // every magnitude, so wide columns holding small values (and values just past a long) come too
                int bits = i % 2 == 0 ? shape[0] * 3 + 3 : 1 + random.nextInt(shape[0] * 3 + 3);
                BigInteger unscaled = new BigInteger(bits, random)
                        .mod(BigInteger.TEN.pow(shape[0]));
                if (random.nextBoolean()) {
                    unscaled = unscaled.negate();
                }
                BigDecimal value = new BigDecimal(unscaled, shape[1]);
                ByteReader in = ByteReader.of(encodeDecimal(value, shape[0], shape[1]));
                assertThat(Decimals.decode(in, shape[0], shape[1])).as("DECIMAL(%d,%d) %s", shape[0], shape[1], value)
                        .isEqualTo(value);
                assertThat(in.hasRemaining()).isFalse();
            }
        }
    }

    /** MySQL's decimal2bin, written from the format description. */
    static byte[] encodeDecimal(BigDecimal value, int precision, int scale) {
        int[] dig2bytes = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
        String digits = value.abs().setScale(scale, RoundingMode.UNNECESSARY).unscaledValue().toString();
        int intg = precision - scale;
        String padded = "0".repeat(Math.max(0, precision - digits.length())) + digits;
        String intPart = padded.substring(0, intg);
        String fracPart = padded.substring(intg);
        ByteBuf out = Unpooled.buffer();
        int lead = intg % 9;
        int at = 0;
        if (lead > 0) {
            writeGroup(out, Integer.parseInt(intPart.substring(0, lead)), dig2bytes[lead]);
            at = lead;
        }
        for (; at < intg; at += 9) {
            writeGroup(out, Integer.parseInt(intPart.substring(at, at + 9)), 4);
        }
        int f = 0;
        for (; f + 9 <= scale; f += 9) {
            writeGroup(out, Integer.parseInt(fracPart.substring(f, f + 9)), 4);
        }
        if (f < scale) {
            writeGroup(out, Integer.parseInt(fracPart.substring(f)), dig2bytes[scale - f]);
        }
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        if (value.signum() < 0) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) ~b[i];
            }
        }
        b[0] ^= (byte) 0x80;
        return b;
    }

    private static void writeGroup(ByteBuf out, int value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.writeByte(value >>> (8 * i));
        }
    }
}
