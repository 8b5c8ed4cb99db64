package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * MySQL's binary DECIMAL (NEWDECIMAL): groups of 9 digits in 4 big-endian bytes, leading and trailing partial
 * groups in fewer bytes, the sign in the inverted top bit, negative values with every bit inverted.
 */
public final class Decimals {

    private static final int[] DIGITS_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    private static final int[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000,
            1_000_000_000};

    /** Largest unscaled value that can take one more group of {@code d} digits without overflowing a long. */
    private static final long[] FITS_ANOTHER_GROUP = new long[10];

    static {
        for (int d = 0; d < 10; d++) {
            FITS_ANOTHER_GROUP[d] = (Long.MAX_VALUE - (POW10[d] - 1)) / POW10[d];
        }
    }

    private Decimals() {
    }

    /** Bytes a value of DECIMAL(precision, scale) takes. */
    public static int binarySize(int precision, int scale) {
        int intg = precision - scale;
        return (intg / 9) * 4 + DIGITS_TO_BYTES[intg % 9] + (scale / 9) * 4 + DIGITS_TO_BYTES[scale % 9];
    }

    public static BigDecimal decode(ByteReader in, int precision, int scale) {
        return new Layout(precision, scale).decode(in);
    }

    /**
     * How a DECIMAL(precision, scale) value is laid out: its digit groups, worked out once per column rather
     * than for every value.
     */
    public static final class Layout {

        private final int precision;
        private final int scale;
        private final int size;
        /** Bytes and digits of each group, most significant first. */
        private final int[] groupBytes;
        private final int[] groupDigits;

        public Layout(int precision, int scale) {
            this.precision = precision;
            this.scale = scale;
            this.size = binarySize(precision, scale);
            int intg = precision - scale;
            int leading = intg % 9;
            int trailing = scale % 9;
            int groups = (leading > 0 ? 1 : 0) + intg / 9 + scale / 9 + (trailing > 0 ? 1 : 0);
            groupBytes = new int[groups];
            groupDigits = new int[groups];
            for (int g = 0; g < groups; g++) {
                int digits = g == 0 && leading > 0 ? leading : g == groups - 1 && trailing > 0 ? trailing : 9;
                groupDigits[g] = digits;
                groupBytes[g] = DIGITS_TO_BYTES[digits];
            }
        }

        /** Bytes a value takes. */
        public int size() {
            return size;
        }

        public BigDecimal decode(ByteReader in) {
            if (in.remaining() < size) {
                throw new BinlogDecodeException("DECIMAL(" + precision + "," + scale + ") needs " + size
                        + " bytes, " + in.remaining() + " left");
            }
            byte[] data = in.array();
            int position = in.take(size);
            int mask = (data[position] & 0x80) != 0 ? 0 : 0xff;
            // The sign sits in the top bit of the first byte: flipped back before that byte is read.
            int flip = 0x80;
            // Digits gather in a long while they fit (every value of up to 18 digits, and small values of wider
            // columns), in a BigInteger only from the group that would overflow it.
            long unscaled = 0;
            BigInteger big = null;
            for (int g = 0; g < groupBytes.length; g++) {
                int value = 0;
                for (int k = groupBytes[g]; k > 0; k--) {
                    value = (value << 8) | ((data[position++] & 0xff) ^ mask ^ flip);
                    flip = 0;
                }
                int digits = groupDigits[g];
                if (value < 0 || value >= POW10[digits]) {
                    throw new BinlogDecodeException("corrupt DECIMAL(" + precision + "," + scale + ") digit group "
                            + Integer.toUnsignedString(value));
                }
                if (big == null && unscaled <= FITS_ANOTHER_GROUP[digits]) {
                    unscaled = unscaled * POW10[digits] + value;
                } else {
                    big = (big == null ? BigInteger.valueOf(unscaled) : big)
                            .multiply(BigInteger.valueOf(POW10[digits])).add(BigInteger.valueOf(value));
                }
            }
            boolean negative = mask != 0;
            if (big == null) {
                return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
            }
            return new BigDecimal(negative ? big.negate() : big, scale);
        }
    }
}
