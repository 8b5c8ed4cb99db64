package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.BinlogDecoderOptions;
import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;

import io.netty.buffer.ByteBuf;

/** What the replication connection needs of a decoder: {@link BinlogStreamDecoder#decode}. */
@FunctionalInterface
interface EventDecoder {

    void decode(ByteBuf event, BinlogStreamDecoder.Sink sink);

    @FunctionalInterface
    interface Factory {
        EventDecoder create(String sourceName, TableShapeResolver shapes, BinlogDecoderOptions options);
    }

    Factory STANDARD = (name, shapes, options) -> new BinlogStreamDecoder(name, shapes, options)::decode;
}
