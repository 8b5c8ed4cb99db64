package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Length-encoded integers and strings of the MySQL client/server protocol, with guarded lengths. */
class WireReadsTest {

    private static ByteBuf buf(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int v : bytes) {
            b.writeByte(v);
        }
        return b;
    }

    @Test
    void lengthEncodedIntegersOfEveryWidth() {
        assertThat(WireReads.readLenenc(buf(0x00))).isZero();
        assertThat(WireReads.readLenenc(buf(0xfa))).isEqualTo(250);
        assertThat(WireReads.readLenenc(buf(0xfc, 0xfb, 0x00))).isEqualTo(251);
        assertThat(WireReads.readLenenc(buf(0xfc, 0xff, 0xff))).isEqualTo(65535);
        assertThat(WireReads.readLenenc(buf(0xfd, 0x01, 0x02, 0x03))).isEqualTo(0x030201);
        assertThat(WireReads.readLenenc(buf(0xfe, 1, 2, 3, 4, 5, 6, 7, 8))).isEqualTo(0x0807060504030201L);
        ByteBuf two = buf(0x05, 0xfc, 0x00, 0x01);
        assertThat(WireReads.readLenenc(two)).isEqualTo(5);
        assertThat(WireReads.readLenenc(two)).isEqualTo(256);
        assertThat(two.isReadable()).isFalse();
    }

    @Test
    void theNullPrefixIsOnlyValidWhereNullIsAllowed() {
        assertThat(WireReads.readLenencOrNull(buf(0xfb))).isEqualTo(WireReads.NULL_LENGTH);
        assertThat(WireReads.readLenencOrNull(buf(0xfc, 0x10, 0x00))).isEqualTo(16);
        assertThatThrownBy(() -> WireReads.readLenenc(buf(0xfb))).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("invalid length-encoded integer prefix 0xfb");
        assertThatThrownBy(() -> WireReads.readLenenc(buf(0xff))).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("invalid length-encoded integer prefix 0xff");
        assertThatThrownBy(() -> WireReads.readLenencOrNull(buf(0xff))).isInstanceOf(BinlogDecodeException.class);
    }

    @Test
    void lengthsAreCheckedAgainstTheBytesLeftAndNameWhatWasRead() {
        assertThat(WireReads.readLenencLength(buf(2, 'a', 'b'), "column name")).isEqualTo(2);
        assertThatThrownBy(() -> WireReads.readLenencLength(buf(3, 'a', 'b'), "column name"))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("column name length 3 exceeds the 2 bytes left");
        // an 8-byte length with the top bit set is negative as a long: still rejected, not cast to an int
        assertThatThrownBy(() -> WireReads.readLenencLength(
                buf(0xfe, 0, 0, 0, 0, 0, 0, 0, 0x80, 'a'), "row")).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("row length -9223372036854775808");
        assertThatThrownBy(() -> WireReads.checkLength(1L << 32, buf(1), "blob"))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("blob length 4294967296 exceeds the 1 bytes left");
    }

    @Test
    void stringsInTheirCharsetAndNull() {
        byte[] gbk = "中文".getBytes(Charset.forName("GBK"));
        ByteBuf in = Unpooled.buffer().writeByte(gbk.length).writeBytes(gbk).writeByte(0xfb).writeByte(1).writeByte('x');
        assertThat(WireReads.readLenencStringOrNull(in, Charset.forName("GBK"), "value")).isEqualTo("中文");
        assertThat(WireReads.readLenencStringOrNull(in, StandardCharsets.UTF_8, "value")).isNull();
        assertThat(WireReads.readLenencString(in, "value")).isEqualTo("x");
        assertThat(in.isReadable()).isFalse();
        assertThatThrownBy(() -> WireReads.readLenencStringOrNull(buf(9, 'a'), StandardCharsets.UTF_8, "value"))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("value length 9 exceeds the 1 bytes left");
        ByteBuf utf8 = Unpooled.copiedBuffer("héllo!", StandardCharsets.UTF_8);
        assertThat(WireReads.readString(utf8, 6, StandardCharsets.UTF_8, "text")).isEqualTo("héllo");
        assertThat(utf8.readableBytes()).isEqualTo(1);
        assertThatThrownBy(() -> WireReads.readString(utf8, 2, StandardCharsets.UTF_8, "text"))
                .isInstanceOf(BinlogDecodeException.class);
        assertThat(utf8.readableBytes()).as("nothing consumed by a failed read").isEqualTo(1);
    }

    @Test
    void bytesAreCopiedAndGuarded() {
        ByteBuf in = buf(1, 2, 3);
        byte[] two = WireReads.readBytes(in, 2, "salt");
        in.setByte(0, 9);
        assertThat(two).containsExactly(1, 2);
        assertThatThrownBy(() -> WireReads.readBytes(in, 2, "salt")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("salt length 2 exceeds the 1 bytes left");
    }

    @Test
    void sixByteTableIdsAreLittleEndian() {
        assertThat(WireReads.readUInt48LE(buf(0x01, 0x02, 0x03, 0x04, 0x05, 0x06))).isEqualTo(0x060504030201L);
        assertThat(WireReads.readUInt48LE(buf(0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).isEqualTo(0xffffffffffffL);
    }

    @Test
    void nulTerminatedStringsEndAtTheNulOrTheBuffer() {
        ByteBuf in = Unpooled.buffer().writeBytes("8.0.36\0rest".getBytes(StandardCharsets.US_ASCII));
        assertThat(WireReads.readNulTerminated(in, StandardCharsets.US_ASCII)).isEqualTo("8.0.36");
        assertThat(WireReads.readNulTerminated(in, StandardCharsets.US_ASCII)).as("no NUL: to the end")
                .isEqualTo("rest");
        assertThat(in.isReadable()).isFalse();
        assertThat(WireReads.readNulTerminated(buf(0, 'a'), StandardCharsets.US_ASCII)).isEmpty();
    }

    @Test
    void uuidsAreGroupedEightFourFourFourTwelve() {
        ByteBuf in = buf(0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62,
                0x7f);
        assertThat(WireReads.readUuid(in)).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562");
        assertThat(in.readableBytes()).isEqualTo(1);
    }
}
