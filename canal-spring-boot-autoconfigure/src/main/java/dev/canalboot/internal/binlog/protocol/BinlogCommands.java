package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** The replication commands that start a binlog stream. */
public final class BinlogCommands {

    static final int COM_BINLOG_DUMP = 0x12;
    static final int COM_BINLOG_DUMP_GTID = 0x1E;
    /** COM_BINLOG_DUMP_GTID flag: the GTID set data follows. */
    static final int BINLOG_THROUGH_GTID = 0x04;
    /** First byte of a semi-sync event header (after the OK byte) and of a semi-sync acknowledgement. */
    public static final int SEMI_SYNC_INDICATOR = 0xEF;
    /** Semi-sync event header flag: the server waits for an acknowledgement of this event. */
    public static final int SEMI_SYNC_ACK_REQUESTED = 0x01;

    private BinlogCommands() {
    }

    /** COM_BINLOG_DUMP: 4-byte position, 2-byte flags, 4-byte server id, then the file name to the end. */
    public static ByteBuf dump(ByteBufAllocator alloc, long serverId, String file, long position) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(11 + name.length);
        buf.writeByte(COM_BINLOG_DUMP);
        buf.writeIntLE((int) position);
        buf.writeShortLE(0);
        buf.writeIntLE((int) serverId);
        buf.writeBytes(name);
        return buf;
    }

    /** Semi-sync acknowledgement: 0xEF, the 8-byte position after the acknowledged event, then the file name. */
    public static ByteBuf semiSyncAck(ByteBufAllocator alloc, String file, long position) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(9 + name.length);
        buf.writeByte(SEMI_SYNC_INDICATOR);
        buf.writeLongLE(position);
        buf.writeBytes(name);
        return buf;
    }

    /**
     * COM_BINLOG_DUMP_GTID: 2-byte flags, 4-byte server id, 4-byte file name length, file name, 8-byte
     * position, then (with BINLOG_THROUGH_GTID) the 4-byte length of the encoded GTID set and the set. The
     * server sends every transaction not in {@code executed}.
     */
    public static ByteBuf dumpGtid(ByteBufAllocator alloc, long serverId, GtidSet executed) {
        ByteBuf buf = alloc.buffer(27 + executed.encodedLength());
        buf.writeByte(COM_BINLOG_DUMP_GTID);
        buf.writeShortLE(BINLOG_THROUGH_GTID);
        buf.writeIntLE((int) serverId);
        buf.writeIntLE(0);
        buf.writeLongLE(4);
        buf.writeIntLE(executed.encodedLength());
        executed.encode(buf);
        return buf;
    }
}
