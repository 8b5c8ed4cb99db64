package dev.canalboot.binlog.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Basic MySQL wire types: length-encoded integers and strings, NUL-terminated strings. */
public final class Wire {

    /** A length-encoded integer's 0xFB prefix: SQL NULL in a text result row. */
    public static final long NULL_LENGTH = -1;

    private Wire() {
    }

    /** A length-encoded integer, or {@link #NULL_LENGTH} for 0xFB. */
    public static long readLengthEncoded(ByteBuf buf) {
        int first = buf.readUnsignedByte();
        return switch (first) {
            case 0xFB -> NULL_LENGTH;
            case 0xFC -> buf.readUnsignedShortLE();
            case 0xFD -> buf.readUnsignedMediumLE();
            case 0xFE -> buf.readLongLE();
            default -> {
                if (first == 0xFF) {
                    throw new MySqlProtocolException("0xFF is not a valid length-encoded integer");
                }
                yield first;
            }
        };
    }

    public static void writeLengthEncoded(ByteBuf buf, long value) {
        if (value < 0xFB) {
            buf.writeByte((int) value);
        } else if (value <= 0xFFFF) {
            buf.writeByte(0xFC).writeShortLE((int) value);
        } else if (value <= 0xFFFFFF) {
            buf.writeByte(0xFD).writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE).writeLongLE(value);
        }
    }

    /** A length-encoded string, or null for 0xFB. */
    public static String readLengthEncodedString(ByteBuf buf, Charset charset) {
        long length = readLengthEncoded(buf);
        if (length == NULL_LENGTH) {
            return null;
        }
        String value = buf.toString(buf.readerIndex(), (int) length, charset);
        buf.skipBytes((int) length);
        return value;
    }

    public static void writeLengthEncodedBytes(ByteBuf buf, byte[] bytes) {
        writeLengthEncoded(buf, bytes.length);
        buf.writeBytes(bytes);
    }

    /** A NUL-terminated string; the rest of the buffer when no NUL follows (some servers omit the last one). */
    public static String readNulTerminated(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        int length = (end < 0 ? buf.writerIndex() : end) - buf.readerIndex();
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length + (end < 0 ? 0 : 1));
        return value;
    }

    public static void writeNulTerminated(ByteBuf buf, String value) {
        buf.writeBytes(value.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    public static String readRestAsString(ByteBuf buf) {
        String value = buf.toString(StandardCharsets.UTF_8);
        buf.skipBytes(buf.readableBytes());
        return value;
    }
}
