package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Basic MySQL wire types for client/server packets. Reads go through the bounds-checked reader shared with the
 * binlog event decoders ({@link dev.canalboot.internal.binlog.event.WireReads}); its errors surface here as
 * {@link MySqlProtocolException}, the type the connection reports for a packet it cannot follow.
 */
public final class PacketFields {

    /** A length-encoded integer's 0xFB prefix: SQL NULL in a text result row. */
    public static final long NULL_LENGTH = dev.canalboot.internal.binlog.event.WireReads.NULL_LENGTH;

    private PacketFields() {
    }

    /** A length-encoded integer, or {@link #NULL_LENGTH} for 0xFB. */
    public static long readLengthEncoded(ByteBuf buf) {
        return asProtocolError(() -> dev.canalboot.internal.binlog.event.WireReads.readLenencOrNull(buf));
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
        return asProtocolError(() -> dev.canalboot.internal.binlog.event.WireReads.readLenencStringOrNull(buf, charset,
                "length-encoded string"));
    }

    public static void writeLengthEncodedBytes(ByteBuf buf, byte[] bytes) {
        writeLengthEncoded(buf, bytes.length);
        buf.writeBytes(bytes);
    }

    /** A NUL-terminated string; the rest of the buffer when no NUL follows (some servers omit the last one). */
    public static String readNulTerminated(ByteBuf buf) {
        return dev.canalboot.internal.binlog.event.WireReads.readNulTerminated(buf, StandardCharsets.UTF_8);
    }

    public static void writeNulTerminated(ByteBuf buf, String value) {
        buf.writeBytes(value.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    public static String readRestAsString(ByteBuf buf) {
        String value = buf.toString(StandardCharsets.UTF_8);
        buf.skipBytes(buf.readableBytes());
        return value;
    }

    private static <T> T asProtocolError(Supplier<T> read) {
        try {
            return read.get();
        } catch (BinlogDecodeException e) {
            throw new MySqlProtocolException(e.getMessage(), e);
        }
    }
}
