package dev.canalboot.internal.binlog.event;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * ROTATE_EVENT: the stream continues in another binlog file.
 *
 * @param position where to read in {@code nextFile}
 * @param nextFile the next binlog file name
 */
public record RotateEvent(long position, String nextFile) {

    public static RotateEvent decode(ByteBuf body) {
        long position = body.readLongLE();
        String file = body.toString(StandardCharsets.UTF_8);
        body.skipBytes(body.readableBytes());
        return new RotateEvent(position, file);
    }
}
