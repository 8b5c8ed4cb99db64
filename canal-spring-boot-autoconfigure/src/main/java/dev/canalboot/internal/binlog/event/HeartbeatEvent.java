package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * HEARTBEAT_LOG_EVENT (v1: file name in the body, position in the header) and HEARTBEAT_LOG_EVENT_V2 (both
 * as type-length-value fields, so that positions beyond 4 GiB fit).
 */
public record HeartbeatEvent(String file, long position) {

    private static final int FIELD_END = 0;
    private static final int FIELD_FILE = 1;
    private static final int FIELD_POSITION = 2;

    public static HeartbeatEvent decodeV1(ByteBuf body, EventHeader header) {
        String file = body.toString(StandardCharsets.UTF_8);
        body.skipBytes(body.readableBytes());
        return new HeartbeatEvent(file, header.logPosition());
    }

    public static HeartbeatEvent decodeV2(ByteBuf body) {
        String file = null;
        long position = -1;
        while (body.isReadable()) {
            int field = (int) WireReads.readLenenc(body);
            if (field == FIELD_END) {
                break;
            }
            int length = WireReads.readLenencLength(body, "heartbeat field");
            ByteBuf value = body.readSlice(length);
            switch (field) {
                case FIELD_FILE -> file = value.toString(StandardCharsets.UTF_8);
                case FIELD_POSITION -> position = WireReads.readLenenc(value);
                default -> { } // fields of later versions
            }
        }
        if (file == null || position < 0) {
            throw new BinlogDecodeException("heartbeat v2 without file name or position");
        }
        return new HeartbeatEvent(file, position);
    }
}
