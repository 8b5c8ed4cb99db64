package dev.canalboot.binlog.value;

import io.netty.buffer.ByteBuf;

/**
 * Decodes one non-null column value of a rows event from the reader index of {@code in}, consuming exactly
 * its bytes. One instance per column of a table map, built once; holds no mutable state.
 */
@FunctionalInterface
public interface ValueDecoder {

    Object decode(ByteBuf in);
}
