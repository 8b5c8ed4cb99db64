package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bounded little- and big-endian reads over a byte array. */
class ByteReaderTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static final byte[] SAMPLE = bytes(0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88);

    @Test
    void littleEndianReadsWithAndWithoutSign() {
        assertThat(ByteReader.of(SAMPLE).u8()).isEqualTo(0x81);
        assertThat(ByteReader.of(SAMPLE).s8()).isEqualTo(-127);
        assertThat(ByteReader.of(SAMPLE).u16()).isEqualTo(0x8281);
        assertThat(ByteReader.of(SAMPLE).s16()).isEqualTo((short) 0x8281);
        assertThat(ByteReader.of(SAMPLE).u24()).isEqualTo(0x838281);
        assertThat(ByteReader.of(SAMPLE).s24()).isEqualTo(0x838281 - 0x1000000);
        assertThat(ByteReader.of(bytes(0xff, 0xff, 0x7f)).s24()).isEqualTo(0x7fffff);
        assertThat(ByteReader.of(SAMPLE).s32()).isEqualTo(0x84838281);
        assertThat(ByteReader.of(SAMPLE).u32()).isEqualTo(0x84838281L);
        assertThat(ByteReader.of(SAMPLE).s64()).isEqualTo(0x8887868584838281L);
        assertThat(ByteReader.of(SAMPLE).unsignedLE(5)).isEqualTo(0x8584838281L);
    }

    @Test
    void bigEndianReadsWithAndWithoutSign() {
        assertThat(ByteReader.of(SAMPLE).s16be()).isEqualTo((short) 0x8182);
        assertThat(ByteReader.of(SAMPLE).u16be()).isEqualTo(0x8182);
        assertThat(ByteReader.of(SAMPLE).u24be()).isEqualTo(0x818283);
        assertThat(ByteReader.of(SAMPLE).s24be()).isEqualTo(0x818283 - 0x1000000);
        assertThat(ByteReader.of(bytes(0x7f, 0xff, 0xff)).s24be()).isEqualTo(0x7fffff);
        assertThat(ByteReader.of(SAMPLE).u32be()).isEqualTo(0x81828384L);
        assertThat(ByteReader.of(SAMPLE).unsignedBE(6)).isEqualTo(0x818283848586L);
        assertThat(ByteReader.of(SAMPLE).unsignedBE(8)).isEqualTo(0x8182838485868788L);
    }

    @Test
    void readsAdvanceThroughTheRangeOnly() {
        byte[] data = bytes(9, 1, 2, 3, 4, 9);
        ByteReader in = new ByteReader(data, 1, 5);
        assertThat(in.remaining()).isEqualTo(4);
        assertThat(in.u8()).isEqualTo(1);
        in.skip(1);
        assertThat(in.copyRemaining()).containsExactly(3, 4);
        assertThat(in.remaining()).as("copyRemaining consumes nothing").isEqualTo(2);
        assertThat(in.u16()).isEqualTo(0x0403);
        assertThat(in.hasRemaining()).isFalse();
        assertThatThrownBy(in::u8).as("the byte after the limit is not readable")
                .isInstanceOf(BinlogDecodeException.class);
    }

    @Test
    void aReadPastTheLimitSaysHowMuchWasLeftAndConsumesNothing() {
        ByteReader in = ByteReader.of(bytes(1, 2, 3));
        assertThatThrownBy(in::s32).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("value of 4 bytes exceeds the 3 bytes left in the event");
        assertThat(in.remaining()).isEqualTo(3);
        assertThatThrownBy(() -> in.skip(-1)).isInstanceOf(BinlogDecodeException.class);
        assertThat(in.u24()).isEqualTo(0x030201);
    }

    @Test
    void aRangeOutsideTheArrayIsRejected() {
        assertThatThrownBy(() -> new ByteReader(new byte[4], 0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range 0..5 outside 4 bytes");
        assertThatThrownBy(() -> new ByteReader(new byte[4], 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[4], -1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lengthPrefixesAreCheckedAgainstTheBytesThatFollow() {
        assertThat(ByteReader.of(bytes(2, 'a', 'b')).length(1)).isEqualTo(2);
        assertThat(ByteReader.of(bytes(2, 0, 'a', 'b')).length(2)).isEqualTo(2);
        assertThat(ByteReader.of(bytes(1, 0, 0, 'a')).length(3)).isEqualTo(1);
        assertThat(ByteReader.of(bytes(0, 0, 0, 0)).length(4)).isZero();
        ByteReader tooLong = ByteReader.of(bytes(3, 'a', 'b'));
        assertThatThrownBy(() -> tooLong.length(1)).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("value of 3 bytes exceeds the 2 bytes left in the event");
        // a 4-byte length above 2^31 must not turn negative and slip through
        assertThatThrownBy(() -> ByteReader.of(bytes(0xff, 0xff, 0xff, 0xff, 'a')).length(4))
                .isInstanceOf(BinlogDecodeException.class).hasMessageContaining("4294967295 bytes");
    }

    @Test
    void lengthEncodedIntegersOfEveryWidthAndTheNullPrefix() {
        assertThat(ByteReader.of(bytes(0xfa)).lengthEncodedOrNull()).isEqualTo(250);
        assertThat(ByteReader.of(bytes(0xfb)).lengthEncodedOrNull()).as("SQL NULL").isEqualTo(-1);
        assertThat(ByteReader.of(bytes(0xfc, 0x34, 0x12)).lengthEncodedOrNull()).isEqualTo(0x1234);
        assertThat(ByteReader.of(bytes(0xfd, 0x56, 0x34, 0x12)).lengthEncodedOrNull()).isEqualTo(0x123456);
        assertThat(ByteReader.of(bytes(0xfe, 8, 7, 6, 5, 4, 3, 2, 1)).lengthEncodedOrNull()).isEqualTo(0x0102030405060708L);
        assertThatThrownBy(() -> ByteReader.of(bytes(0xff)).lengthEncodedOrNull()).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("0xff");
        assertThatThrownBy(() -> ByteReader.of(bytes(0xfc, 1)).lengthEncodedOrNull())
                .isInstanceOf(BinlogDecodeException.class);
    }

    @Test
    void stringsAndZeroPaddedBytes() {
        byte[] text = "héllo".getBytes(StandardCharsets.UTF_8);
        assertThat(ByteReader.of(text).string(text.length, StandardCharsets.UTF_8)).isEqualTo("héllo");
        ByteReader in = ByteReader.of(bytes('a', 'b', 'c'));
        assertThat(in.bytes(2, 4)).containsExactly('a', 'b', 0, 0);
        assertThat(in.bytes(1, 0)).containsExactly('c');
    }

    @Test
    void sliceConsumesAndRestDoesNot() {
        ByteReader in = ByteReader.of(bytes(1, 2, 3, 4));
        ByteBuf slice = in.slice(2);
        assertThat(slice.readableBytes()).isEqualTo(2);
        assertThat(slice.getByte(1)).isEqualTo((byte) 2);
        ByteBuf rest = in.rest();
        assertThat(rest.readableBytes()).isEqualTo(2);
        assertThat(rest.getByte(0)).isEqualTo((byte) 3);
        assertThat(in.remaining()).isEqualTo(2);
    }

    @Test
    void fromAByteBufReadsItsReadableBytesWithoutConsumingThem() {
        ByteBuf heap = Unpooled.buffer(8).writeBytes(bytes(7, 1, 2, 3));
        heap.readByte();
        ByteReader fromHeap = ByteReader.of(heap);
        assertThat(fromHeap.remaining()).isEqualTo(3);
        assertThat(fromHeap.u24()).isEqualTo(0x030201);
        assertThat(heap.readableBytes()).isEqualTo(3);

        ByteBuf direct = Unpooled.directBuffer(8).writeBytes(bytes(7, 1, 2, 3));
        direct.readByte();
        byte[] scratch = new byte[16];
        ByteReader fromDirect = ByteReader.of(direct, scratch);
        assertThat(fromDirect.remaining()).as("limited to the readable bytes, not the scratch size").isEqualTo(3);
        assertThat(fromDirect.u24()).isEqualTo(0x030201);
        assertThat(scratch[0]).as("copied into the scratch array").isEqualTo((byte) 1);
        ByteReader fromSmallScratch = ByteReader.of(direct, new byte[2]);
        assertThat(fromSmallScratch.u24()).isEqualTo(0x030201);
        assertThat(direct.readableBytes()).isEqualTo(3);
        direct.release();
    }

    @Test
    void bitsOfALittleEndianBitmap() {
        ByteReader in = ByteReader.of(bytes(0xff, 0b0000_0101, 0b1000_0000));
        in.skip(1);
        int base = in.take(2);
        assertThat(in.bit(base, 0)).isTrue();
        assertThat(in.bit(base, 1)).isFalse();
        assertThat(in.bit(base, 2)).isTrue();
        assertThat(in.bit(base, 8 + 6)).isFalse();
        assertThat(in.bit(base, 8 + 7)).isTrue();
    }
}
