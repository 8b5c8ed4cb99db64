package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;

/**
 * TRANSACTION_PAYLOAD_EVENT ({@code binlog_transaction_compression=ON}): a whole transaction's events,
 * compressed. Fields are type-length-value with length-encoded integers; the compressed bytes follow the
 * end mark.
 *
 * @param compression      {@link #ZSTD} or {@link #NONE}
 * @param uncompressedSize bytes of the inner events
 * @param payload          the compressed bytes (a slice of the event, valid during decoding only)
 */
public record TransactionPayloadEvent(int compression, long uncompressedSize, ByteBuf payload) {

    public static final int ZSTD = 0;
    public static final int NONE = 255;
    private static final int END_MARK = 0;
    private static final int PAYLOAD_SIZE = 1;
    private static final int COMPRESSION_TYPE = 2;
    private static final int UNCOMPRESSED_SIZE = 3;

    public static TransactionPayloadEvent decode(ByteBuf body) {
        long payloadSize = -1;
        int compression = -1;
        long uncompressedSize = -1;
        while (true) {
            long field = WireReads.readLenenc(body);
            if (field == END_MARK) {
                break;
            }
            ByteBuf value = body.readSlice(WireReads.readLenencLength(body, "transaction payload field"));
            switch ((int) field) {
                case PAYLOAD_SIZE -> payloadSize = WireReads.readLenenc(value);
                case COMPRESSION_TYPE -> compression = (int) WireReads.readLenenc(value);
                case UNCOMPRESSED_SIZE -> uncompressedSize = WireReads.readLenenc(value);
                default -> { } // fields of later versions
            }
        }
        if (compression != ZSTD && compression != NONE) {
            throw new BinlogDecodeException("transaction payload with unsupported compression type " + compression);
        }
        if (payloadSize < 0 || uncompressedSize < 0) {
            throw new BinlogDecodeException("transaction payload without payload or uncompressed size");
        }
        ByteBuf payload = body.readSlice(WireReads.checkLength(payloadSize, body, "transaction payload"));
        return new TransactionPayloadEvent(compression, uncompressedSize, payload);
    }
}
