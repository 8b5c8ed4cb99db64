package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MariaDB's compressed records (log_bin_compress=ON): one header byte {@code 0x80 | n}, the uncompressed length in
 * {@code n} big-endian bytes, then a zlib stream to the end of the record.
 */
class CompressionTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void inflatesWhateverByteCountTheLengthTakes(int lengthBytes) {
        byte[] data = "INSERT INTO t VALUES (1, 'compressed by MariaDB')".getBytes(StandardCharsets.UTF_8);
        ByteBuf in = record(0x80 | lengthBytes, lengthBytes, data.length, zlib(data));

        assertThat(Compression.inflateMariaDb(in)).isEqualTo(data);
        assertThat(in.isReadable()).as("the record is consumed to its end").isFalse();
    }

    @Test
    void theLengthIsBigEndian() {
        byte[] data = new byte[0x0102];
        Arrays.fill(data, (byte) 'x');

        assertThat(Compression.inflateMariaDb(record(0x82, 2, 0x0102, zlib(data)))).isEqualTo(data);
    }

    @Test
    void aRecordLargerThanTheFirstGuessGrowsToItsFullLength() {
        // 1 MB of zeros compresses to about 1 KB: the output starts at 4x that and must grow to the header's length.
        byte[] data = new byte[1 << 20];
        data[data.length - 1] = 7;
        byte[] compressed = zlib(data);
        assertThat(4L * compressed.length).isLessThan(data.length / 16);

        assertThat(Compression.inflateMariaDb(record(0x83, 3, data.length, compressed))).isEqualTo(data);
    }

    @Test
    void incompressibleDataInflatesToo() {
        byte[] data = new byte[50_000];
        new Random(42).nextBytes(data);

        assertThat(Compression.inflateMariaDb(record(0x84, 4, data.length, zlib(data)))).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x80, 0x85, 0x7F})
    void aHeaderThatIsNotACompressedRecordIsRefusedByItsValue(int header) {
        ByteBuf in = Unpooled.buffer().writeByte(header).writeZero(8);

        assertThatThrownBy(() -> Compression.inflateMariaDb(in))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("invalid compressed record header 0x" + Integer.toHexString(header));
    }

    @Test
    void aLengthAboveMaxAllowedPacketIsRefusedBeforeAllocating() {
        long claimed = Compression.MAX_UNCOMPRESSED + 1L;

        assertThatThrownBy(() -> Compression.inflateMariaDb(record(0x84, 4, claimed, zlib(new byte[10]))))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("compressed record claims " + claimed + " uncompressed bytes");
    }

    @Test
    void theLargestAllowedLengthIsNotRefusedUpFront() {
        // 1 GiB claimed, 10 bytes inside: refused for the mismatch, not for the size (and nothing near 1 GiB allocated).
        assertThatThrownBy(() -> Compression.inflateMariaDb(
                record(0x84, 4, Compression.MAX_UNCOMPRESSED, zlib(new byte[10]))))
                .hasMessage("compressed record inflated to 10 bytes, header says " + Compression.MAX_UNCOMPRESSED);
    }

    @Test
    void moreDataThanTheHeaderSaysIsRefused() {
        byte[] data = new byte[5000];

        assertThatThrownBy(() -> Compression.inflateMariaDb(record(0x81, 1, 10, zlib(data))))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("compressed record inflates beyond the 10 bytes its header says");
    }

    @Test
    void lessDataThanTheHeaderSaysIsRefused() {
        assertThatThrownBy(() -> Compression.inflateMariaDb(record(0x82, 2, 5000, zlib(new byte[100]))))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("compressed record inflated to 100 bytes, header says 5000");
    }

    @Test
    void aTruncatedStreamIsRefusedForItsShortLength() {
        byte[] data = new byte[20_000];
        new Random(7).nextBytes(data);
        byte[] compressed = zlib(data);
        byte[] half = Arrays.copyOf(compressed, compressed.length / 2);

        assertThatThrownBy(() -> Compression.inflateMariaDb(record(0x83, 3, data.length, half)))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("compressed record inflated to ")
                .hasMessageEndingWith(" bytes, header says 20000");
    }

    @Test
    void corruptZlibDataIsRefusedWithTheInflatersReason() {
        byte[] garbage = {0x12, 0x34, 0x56, 0x78, (byte) 0x9A};

        assertThatThrownBy(() -> Compression.inflateMariaDb(record(0x81, 1, 20, garbage)))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("corrupt zlib data in compressed record: ")
                .hasCauseInstanceOf(java.util.zip.DataFormatException.class);
    }

    private static ByteBuf record(int header, int lengthBytes, long length, byte[] compressed) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(header);
        for (int i = lengthBytes - 1; i >= 0; i--) {
            buf.writeByte((int) (length >>> (8 * i)));
        }
        return buf.writeBytes(compressed);
    }

    private static byte[] zlib(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length + 64];
        int n = 0;
        while (!deflater.finished()) {
            n += deflater.deflate(out, n, out.length - n);
        }
        deflater.end();
        return Arrays.copyOf(out, n);
    }
}
