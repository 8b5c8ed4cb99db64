package dev.canalboot.internal.binlog.event;

import io.netty.buffer.ByteBuf;

/** XID_EVENT: commit of a transaction on a transactional engine. */
public record XidEvent(long xid) {

    public static XidEvent decode(ByteBuf body) {
        return new XidEvent(body.readLongLE());
    }
}
