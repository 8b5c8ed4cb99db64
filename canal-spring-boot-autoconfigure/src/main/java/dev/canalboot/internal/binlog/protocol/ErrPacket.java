package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * An ERR packet: 0xFF, error code, then (with CLIENT_PROTOCOL_41) '#' and a 5-character SQL state, then the
 * message.
 */
public record ErrPacket(int code, String sqlState, String message) {

    public static ErrPacket decode(ByteBuf payload) {
        ByteBuf buf = payload.duplicate();
        buf.skipBytes(1);
        int code = buf.readUnsignedShortLE();
        String state = null;
        if (buf.isReadable() && buf.getByte(buf.readerIndex()) == '#') {
            buf.skipBytes(1);
            state = buf.readCharSequence(5, StandardCharsets.US_ASCII).toString();
        }
        return new ErrPacket(code, state, PacketFields.readRestAsString(buf));
    }

    @Override
    public String toString() {
        return "ERROR " + code + (sqlState == null ? "" : " (" + sqlState + ")") + ": " + message;
    }
}
