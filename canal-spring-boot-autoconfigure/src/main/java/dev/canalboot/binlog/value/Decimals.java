package dev.canalboot.binlog.value;

import dev.canalboot.binlog.BinlogDecodeException;

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
        int size = binarySize(precision, scale);
        if (in.remaining() < size) {
            throw new BinlogDecodeException("DECIMAL(" + precision + "," + scale + ") needs " + size
                    + " bytes, " + in.remaining() + " left");
        }
        byte[] data = in.array();
        int start = in.take(size);
        int mask = (data[start] & 0x80) != 0 ? 0 : 0xff;
        int intg = precision - scale;
        int position = start;
        // Digits gather in a long while they fit (every value of up to 18 digits, and small values of wider
        // columns), in a BigInteger only from the group that would overflow it.
        long unscaled = 0;
        BigInteger big = null;
        // Integer part: a leading partial group, then full groups; fraction: full groups, then a partial group.
        int leading = intg % 9;
        int fullIntGroups = intg / 9;
        int fullFracGroups = scale / 9;
        int trailing = scale % 9;
        int groups = (leading > 0 ? 1 : 0) + fullIntGroups + fullFracGroups + (trailing > 0 ? 1 : 0);
        for (int g = 0; g < groups; g++) {
            int digitsInGroup;
            if (g == 0 && leading > 0) {
                digitsInGroup = leading;
            } else if (g == groups - 1 && trailing > 0) {
                digitsInGroup = trailing;
            } else {
                digitsInGroup = 9;
            }
            int bytes = DIGITS_TO_BYTES[digitsInGroup];
            int value = 0;
            for (int k = 0; k < bytes; k++) {
                int b = (data[position] & 0xff) ^ mask;
                if (position == start) {
                    b ^= 0x80;
                }
                value = (value << 8) | b;
                position++;
            }
            if (value < 0 || value >= POW10[digitsInGroup]) {
                throw new BinlogDecodeException("corrupt DECIMAL(" + precision + "," + scale + ") digit group "
                        + Integer.toUnsignedString(value));
            }
            if (big == null && unscaled <= FITS_ANOTHER_GROUP[digitsInGroup]) {
                unscaled = unscaled * POW10[digitsInGroup] + value;
            } else {
                big = (big == null ? BigInteger.valueOf(unscaled) : big)
                        .multiply(BigInteger.valueOf(POW10[digitsInGroup])).add(BigInteger.valueOf(value));
            }
        }
        boolean negative = mask != 0;
        if (big == null) {
            return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
        }
        return new BigDecimal(negative ? big.negate() : big, scale);
    }
}
