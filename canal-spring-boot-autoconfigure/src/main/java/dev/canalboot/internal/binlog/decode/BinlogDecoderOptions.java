package dev.canalboot.internal.binlog.decode;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.model.ZeroDatePolicy;

import java.util.Objects;

/**
 * How a {@link BinlogStreamDecoder} reads its stream.
 *
 * @param checksumOn      whether a CRC32 trailer is expected on events before the first format description
 *                        event (the fake rotate at dump start), as negotiated with the server; afterwards the
 *                        format description event decides
 * @param zeroDates       what zero dates decode to
 * @param verifyChecksums whether CRC32 trailers are verified (a mismatch is a {@link BinlogDecodeException})
 */
public record BinlogDecoderOptions(boolean checksumOn, ZeroDatePolicy zeroDates, boolean verifyChecksums) {

    public BinlogDecoderOptions {
        Objects.requireNonNull(zeroDates, "zeroDates");
    }

    /** No checksum before the first format description event, zero dates as null, checksums verified. */
    public static BinlogDecoderOptions defaults() {
        return new BinlogDecoderOptions(false, ZeroDatePolicy.NULL, true);
    }

    public BinlogDecoderOptions withChecksumOn(boolean on) {
        return new BinlogDecoderOptions(on, zeroDates, verifyChecksums);
    }

    public BinlogDecoderOptions withZeroDates(ZeroDatePolicy policy) {
        return new BinlogDecoderOptions(checksumOn, policy, verifyChecksums);
    }

    public BinlogDecoderOptions withVerifyChecksums(boolean verify) {
        return new BinlogDecoderOptions(checksumOn, zeroDates, verify);
    }
}
