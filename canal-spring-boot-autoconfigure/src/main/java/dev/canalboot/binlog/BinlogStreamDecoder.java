package dev.canalboot.binlog;

import dev.canalboot.model.ChangeEvent;
import io.netty.buffer.ByteBuf;

/**
 * Turns the event stream of one replication connection into model events. Its state is exactly what the
 * stream defines: the current format description (checksum, post-header lengths), the table maps of the
 * current transaction/statement, the current binlog file name and GTID. One instance per connection.
 * <p>
 * Placeholder on the connection branch: the decoding itself is built on the decoder branch and replaces
 * this class when merged.
 */
public final class BinlogStreamDecoder {

    private final String sourceName;

    public BinlogStreamDecoder(String sourceName, TableShapeResolver shapes, BinlogDecoderOptions options) {
        this.sourceName = sourceName;
    }

    /**
     * One event exactly as the server sends it after the 0x00 OK byte of a binlog network packet: 19-byte
     * header, body, and the 4-byte CRC32 trailer when checksums are on. Does not retain {@code event}.
     */
    public void decode(ByteBuf event, Sink sink) {
        throw new BinlogDecodeException("Source " + sourceName + ": the binlog event decoder is not built into"
                + " this version");
    }

    public interface Sink {
        void onChange(ChangeEvent change);

        /**
         * After every event: where the stream stands (for resume). {@code gtid} = GTID of the current
         * transaction or null; {@code transactionEnd} = true right after a commit.
         */
        void onPosition(String file, long nextPosition, String gtid, boolean transactionEnd);

        void onHeartbeat(String file, long position);

        /** Unknown/ignored event types, for metrics. */
        void onSkipped(int eventType);
    }
}
