package dev.canalboot.internal.binlog.event;

import io.netty.buffer.ByteBuf;

/**
 * The 19-byte common header of every binlog event (v4).
 *
 * @param timestamp   seconds since the epoch when the statement began
 * @param type        event type code, see {@link EventType}
 * @param serverId    id of the server that wrote the event
 * @param eventSize   header + body (+ checksum) in bytes
 * @param logPosition position of the next event in the binlog file (0 for artificial events)
 * @param flags       event flags
 */
public record EventHeader(long timestamp, int type, long serverId, long eventSize, long logPosition, int flags) {

    public static final int SIZE = 19;
    /** LOG_EVENT_ARTIFICIAL_F: made up by the dump thread (fake rotate), not read from a file. */
    public static final int FLAG_ARTIFICIAL = 0x20;

    public static EventHeader decode(ByteBuf in) {
        return new EventHeader(in.readUnsignedIntLE(), in.readUnsignedByte(), in.readUnsignedIntLE(),
                in.readUnsignedIntLE(), in.readUnsignedIntLE(), in.readUnsignedShortLE());
    }

    /** Where the event starts in its file. */
    public long startPosition() {
        return logPosition - eventSize;
    }
}
