package dev.canalboot.internal.binlog.event;

import io.netty.buffer.ByteBuf;

/**
 * MariaDB GTID_EVENT: starts an event group, replacing BEGIN.
 *
 * @param gtid       {@code domain-server-sequence}
 * @param standalone FL_STANDALONE: a single statement (DDL) with no COMMIT/XID after it
 */
public record MariaDbGtidEvent(String gtid, boolean standalone) {

    private static final int FL_STANDALONE = 1;

    public static MariaDbGtidEvent decode(ByteBuf body, long serverId) {
        long sequence = body.readLongLE();
        long domain = body.readUnsignedIntLE();
        int flags = body.readUnsignedByte();
        body.skipBytes(body.readableBytes()); // commit id, XA xid: not needed
        return new MariaDbGtidEvent(domain + "-" + serverId + "-" + Long.toUnsignedString(sequence),
                (flags & FL_STANDALONE) != 0);
    }
}
