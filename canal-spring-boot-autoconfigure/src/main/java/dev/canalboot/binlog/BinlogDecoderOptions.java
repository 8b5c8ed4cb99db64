package dev.canalboot.binlog;

/**
 * @param checksumOn      negotiated: a CRC32 trailer is expected before the first format description event
 * @param zeroDates       what a zero date ({@code 0000-00-00}) becomes
 * @param verifyChecksums whether CRC32 trailers are checked
 */
public record BinlogDecoderOptions(boolean checksumOn, ZeroDatePolicy zeroDates, boolean verifyChecksums) {

    public enum ZeroDatePolicy { NULL, ERROR }

    public static BinlogDecoderOptions defaults() {
        return new BinlogDecoderOptions(true, ZeroDatePolicy.NULL, true);
    }

    public BinlogDecoderOptions withChecksumOn(boolean on) {
        return new BinlogDecoderOptions(on, zeroDates, verifyChecksums);
    }
}
