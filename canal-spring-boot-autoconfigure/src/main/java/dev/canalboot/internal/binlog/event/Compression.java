package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Decompression of MariaDB's compressed query and row events (zlib). */
public final class Compression {

    /** Upper bound of one decompressed event part: MySQL/MariaDB's max_allowed_packet limit. */
    static final int MAX_UNCOMPRESSED = 1 << 30;

    private Compression() {
    }

    /**
     * A MariaDB compressed record: one header byte {@code 0x80 | n} with {@code n} the byte count of the
     * big-endian uncompressed length that follows, then a zlib stream. Consumes the rest of {@code in}.
     */
    public static byte[] inflateMariaDb(ByteBuf in) {
        int header = in.readUnsignedByte();
        int lengthBytes = header & 0x07;
        if ((header & 0x80) == 0 || lengthBytes == 0 || lengthBytes > 4) {
            throw new BinlogDecodeException("invalid compressed record header 0x" + Integer.toHexString(header));
        }
        long length = 0;
        for (int i = 0; i < lengthBytes; i++) {
            length = (length << 8) | in.readUnsignedByte();
        }
        if (length > MAX_UNCOMPRESSED) {
            throw new BinlogDecodeException("compressed record claims " + length + " uncompressed bytes");
        }
        byte[] compressed = new byte[in.readableBytes()];
        in.readBytes(compressed);
        // Grow with what actually inflates: a corrupt length must not allocate up front.
        byte[] out = new byte[(int) Math.min(length, Math.max(4096, 4L * compressed.length))];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (n >= length) {
                        throw new BinlogDecodeException("compressed record inflates beyond the " + length
                                + " bytes its header says");
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min(length, 2L * n));
                }
                int read = inflater.inflate(out, n, out.length - n);
                if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += read;
            }
            if (n != length) {
                throw new BinlogDecodeException("compressed record inflated to " + n + " bytes, header says "
                        + length);
            }
            return out;
        } catch (DataFormatException e) {
            throw new BinlogDecodeException("corrupt zlib data in compressed record: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
