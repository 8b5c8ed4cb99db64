package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;

/** An OK packet (0x00, or 0xFE when it ends a result set under CLIENT_DEPRECATE_EOF). */
public record OkPacket(long affectedRows, long lastInsertId, int status, int warnings) {

    public static OkPacket decode(ByteBuf payload) {
        ByteBuf buf = payload.duplicate();
        buf.skipBytes(1);
        long affected = PacketFields.readLengthEncoded(buf);
        long insertId = PacketFields.readLengthEncoded(buf);
        int status = buf.readableBytes() >= 2 ? buf.readUnsignedShortLE() : 0;
        int warnings = buf.readableBytes() >= 2 ? buf.readUnsignedShortLE() : 0;
        return new OkPacket(affected, insertId, status, warnings);
    }
}
