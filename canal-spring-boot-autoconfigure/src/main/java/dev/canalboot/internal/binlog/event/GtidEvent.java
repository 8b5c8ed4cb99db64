package dev.canalboot.internal.binlog.event;

import io.netty.buffer.ByteBuf;

/**
 * MySQL GTID_EVENT / ANONYMOUS_GTID_EVENT: the next transaction's global id.
 *
 * @param gtid {@code uuid:sequence}, or {@code null} for an anonymous transaction
 */
public record GtidEvent(String gtid) {

    public static GtidEvent decode(ByteBuf body, boolean anonymous) {
        body.skipBytes(1); // commit flag
        String uuid = WireReads.readUuid(body);
        long sequence = body.readLongLE();
        return new GtidEvent(anonymous ? null : uuid + ":" + sequence);
    }
}
