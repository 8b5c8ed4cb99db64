package dev.canalboot.kafka;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629, Table 3-7 of the Unicode standard): no stray continuation bytes, no
 * truncated sequences, no overlong forms, no surrogates, nothing past U+10FFFF. The JSON reader decodes some
 * malformed sequences into other characters instead of refusing them, so messages are checked first.
 */
final class WellFormedUtf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private WellFormedUtf8() {
    }

    /** The index of the first byte of the first malformed sequence in {@code bytes[from, to)}, or -1. */
    static int firstMalformed(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            while (i + 32 <= to && (((long) LONGS.get(bytes, i) | (long) LONGS.get(bytes, i + 8)
                    | (long) LONGS.get(bytes, i + 16) | (long) LONGS.get(bytes, i + 24)) & HIGH_BITS) == 0) {
                i += 32; // messages are mostly ASCII: 32 bytes at a time
            }
            if (i == to) {
                break;
            }
            if (i + 8 <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xff;
            int n;
            int low = 0x80; // the range the second byte must be in
            int high = 0xbf;
            if (lead >= 0xc2 && lead <= 0xdf) {
                n = 2;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                n = 3;
                if (lead == 0xe0) {
                    low = 0xa0; // shorter forms are overlong
                } else if (lead == 0xed) {
                    high = 0x9f; // U+D800..U+DFFF are surrogates
                }
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                n = 4;
                if (lead == 0xf0) {
                    low = 0x90;
                } else if (lead == 0xf4) {
                    high = 0x8f; // past U+10FFFF
                }
            } else {
                return i; // a continuation byte without a lead, C0/C1 (overlong) or F5..FF
            }
            if (i + n > to) {
                return i;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k < n; k++) {
                if ((bytes[i + k] & 0xc0) != 0x80) {
                    return i;
                }
            }
            i += n;
        }
        return -1;
    }
}
