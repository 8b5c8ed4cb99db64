package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * FORMAT_DESCRIPTION_EVENT: how the following events are laid out.
 *
 * @param binlogVersion     binlog format version (4)
 * @param serverVersion     server version string, e.g. {@code 8.0.36} or {@code 11.4.5-MariaDB-log}
 * @param headerLength      common header length (19)
 * @param postHeaderLengths post-header length per event type, index {@code type - 1}
 * @param checksumAlgorithm {@link #CHECKSUM_OFF}, {@link #CHECKSUM_CRC32}, or {@link #CHECKSUM_UNDEFINED} for
 *                          servers before checksums existed
 */
public record FormatDescriptionEvent(int binlogVersion, String serverVersion, int headerLength,
                                     byte[] postHeaderLengths, int checksumAlgorithm) {

    public static final int CHECKSUM_OFF = 0;
    public static final int CHECKSUM_CRC32 = 1;
    public static final int CHECKSUM_UNDEFINED = 255;
    private static final int FIXED_PART = 2 + 50 + 4 + 1;

    /**
     * Decodes the body (everything after the common header, including the 4-byte checksum field that
     * checksum-aware servers always write into this event).
     */
    public static FormatDescriptionEvent decode(ByteBuf body) {
        if (body.readableBytes() < FIXED_PART) {
            throw new BinlogDecodeException("format description event body of " + body.readableBytes()
                    + " bytes is shorter than its fixed part");
        }
        int binlogVersion = body.readUnsignedShortLE();
        String serverVersion = WireReads.readNulTerminated(body.readSlice(50), StandardCharsets.US_ASCII);
        body.skipBytes(4); // create timestamp
        int headerLength = body.readUnsignedByte();
        if (binlogVersion != 4 || headerLength != EventHeader.SIZE) {
            throw new BinlogDecodeException("unsupported binlog format version " + binlogVersion
                    + " with header length " + headerLength + " (server " + serverVersion + ")");
        }
        int checksumAlgorithm = CHECKSUM_UNDEFINED;
        int typeCount = body.readableBytes();
        if (checksumAware(serverVersion)) {
            typeCount -= 5;
            if (typeCount < 0) {
                throw new BinlogDecodeException("format description event of " + serverVersion
                        + " lacks its checksum algorithm");
            }
            checksumAlgorithm = body.getUnsignedByte(body.readerIndex() + typeCount);
            if (checksumAlgorithm != CHECKSUM_OFF && checksumAlgorithm != CHECKSUM_CRC32) {
                throw new BinlogDecodeException("unsupported binlog checksum algorithm " + checksumAlgorithm);
            }
        }
        byte[] postHeaderLengths = new byte[typeCount];
        body.readBytes(postHeaderLengths);
        return new FormatDescriptionEvent(binlogVersion, serverVersion, headerLength, postHeaderLengths,
                checksumAlgorithm);
    }

    /** The post-header length of {@code type}, 0 when this server does not know the type. */
    public int postHeaderLength(int type) {
        return type >= 1 && type <= postHeaderLengths.length ? postHeaderLengths[type - 1] & 0xff : 0;
    }

    public boolean checksumOn() {
        return checksumAlgorithm == CHECKSUM_CRC32;
    }

    public boolean isMariaDb() {
        return serverVersion.contains("MariaDB");
    }

    /** Binlog checksums came with MySQL 5.6.1 and MariaDB 5.3; every MariaDB version string is 5.5+ or 10+. */
    static boolean checksumAware(String version) {
        int[] v = new int[3];
        int part = 0;
        for (int i = 0; i < version.length() && part < 3; i++) {
            char c = version.charAt(i);
            if (c >= '0' && c <= '9') {
                v[part] = v[part] * 10 + (c - '0');
            } else if (c == '.') {
                part++;
            } else {
                break;
            }
        }
        if (version.contains("MariaDB")) {
            return v[0] > 5 || (v[0] == 5 && v[1] >= 3);
        }
        return v[0] > 5 || (v[0] == 5 && (v[1] > 6 || (v[1] == 6 && v[2] >= 1)));
    }
}
