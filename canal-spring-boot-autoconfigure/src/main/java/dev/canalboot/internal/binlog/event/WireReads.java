package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Primitive reads of the MySQL wire format, for binlog events and for client/server packets alike, that guard
 * every length against the bytes that remain, so that corrupt lengths fail with a
 * {@link BinlogDecodeException} instead of huge allocations.
 */
public final class WireReads {

    /** What {@link #readLenencOrNull} returns for the {@code 0xfb} prefix: SQL NULL in a text result row. */
    public static final long NULL_LENGTH = -1;

    private WireReads() {
    }

    /** A length-encoded integer ({@code 0xfb} is not valid in binlog events). */
    public static long readLenenc(ByteBuf in) {
        return readLenenc(in, false);
    }

    /** A length-encoded integer, or {@link #NULL_LENGTH} for the {@code 0xfb} prefix. */
    public static long readLenencOrNull(ByteBuf in) {
        return readLenenc(in, true);
    }

    private static long readLenenc(ByteBuf in, boolean nullAllowed) {
        int first = in.readUnsignedByte();
        if (first < 0xfb) {
            return first;
        }
        return switch (first) {
            case 0xfb -> {
                if (!nullAllowed) {
                    throw invalidPrefix(first);
                }
                yield NULL_LENGTH;
            }
            case 0xfc -> in.readUnsignedShortLE();
            case 0xfd -> in.readUnsignedMediumLE();
            case 0xfe -> in.readLongLE();
            default -> throw invalidPrefix(first);
        };
    }

    private static BinlogDecodeException invalidPrefix(int first) {
        return new BinlogDecodeException("invalid length-encoded integer prefix 0x" + Integer.toHexString(first));
    }

    /** A length-encoded integer used as a byte count or element count: at most the bytes that remain. */
    public static int readLenencLength(ByteBuf in, String what) {
        return checkLength(readLenenc(in), in, what);
    }

    /** Checks that {@code length} bytes remain in {@code in} and returns it as an int. */
    public static int checkLength(long length, ByteBuf in, String what) {
        if (length < 0 || length > in.readableBytes()) {
            throw new BinlogDecodeException(what + " length " + length + " exceeds the " + in.readableBytes()
                    + " bytes left");
        }
        return (int) length;
    }

    /** {@code length} bytes as a string in {@code charset}, consumed. */
    public static String readString(ByteBuf in, int length, Charset charset, String what) {
        checkLength(length, in, what);
        String s = in.toString(in.readerIndex(), length, charset);
        in.skipBytes(length);
        return s;
    }

    /** A length-encoded string in UTF-8. */
    public static String readLenencString(ByteBuf in, String what) {
        return readString(in, readLenencLength(in, what), StandardCharsets.UTF_8, what);
    }

    /** A length-encoded string in {@code charset}, or null for the {@code 0xfb} prefix. */
    public static String readLenencStringOrNull(ByteBuf in, Charset charset, String what) {
        long length = readLenencOrNull(in);
        return length == NULL_LENGTH ? null : readString(in, checkLength(length, in, what), charset, what);
    }

    /** {@code length} bytes copied out, consumed. */
    public static byte[] readBytes(ByteBuf in, int length, String what) {
        checkLength(length, in, what);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** A 6-byte little-endian unsigned integer (table ids). */
    public static long readUInt48LE(ByteBuf in) {
        return in.readUnsignedIntLE() | ((long) in.readUnsignedShortLE() << 32);
    }

    /** A string terminated by NUL (consumed) or by the end of the buffer. */
    public static String readNulTerminated(ByteBuf in, Charset charset) {
        int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) 0);
        int length = (end < 0 ? in.writerIndex() : end) - in.readerIndex();
        String s = in.toString(in.readerIndex(), length, charset);
        in.skipBytes(length + (end < 0 ? 0 : 1));
        return s;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** 16 bytes as a UUID text {@code 8-4-4-4-12}. */
    public static String readUuid(ByteBuf in) {
        char[] out = new char[36];
        int o = 0;
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[o++] = '-';
            }
            int b = in.readUnsignedByte();
            out[o++] = HEX[b >>> 4];
            out[o++] = HEX[b & 0xf];
        }
        return new String(out);
    }
}
