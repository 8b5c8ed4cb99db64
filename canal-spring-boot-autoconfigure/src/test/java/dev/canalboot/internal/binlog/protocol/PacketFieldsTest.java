package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketFieldsTest {

    @Test
    void lengthEncodedValuesRoundTripAndNullPrefixReadsAsNull() {
        ByteBuf buf = Unpooled.buffer();
        for (long value : new long[]{0, 250, 251, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000}) {
            PacketFields.writeLengthEncoded(buf, value);
        }
        PacketFields.writeLengthEncodedBytes(buf, "héllo".getBytes(StandardCharsets.UTF_8));
        buf.writeByte(0xFB);
        buf.writeByte(0xFB);

        for (long value : new long[]{0, 250, 251, 0xFFFF, 0x10000, 0xFFFFFF, 0x1000000}) {
            assertThat(PacketFields.readLengthEncoded(buf)).isEqualTo(value);
        }
        assertThat(PacketFields.readLengthEncodedString(buf, StandardCharsets.UTF_8)).isEqualTo("héllo");
        assertThat(PacketFields.readLengthEncoded(buf)).isEqualTo(PacketFields.NULL_LENGTH);
        assertThat(PacketFields.readLengthEncodedString(buf, StandardCharsets.UTF_8)).isNull();
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void nulTerminatedStringsEndAtNulOrAtTheEndOfTheBuffer() {
        ByteBuf buf = Unpooled.buffer();
        PacketFields.writeNulTerminated(buf, "root");
        buf.writeBytes("mysql_native_password".getBytes(StandardCharsets.UTF_8));

        assertThat(PacketFields.readNulTerminated(buf)).isEqualTo("root");
        assertThat(PacketFields.readNulTerminated(buf)).isEqualTo("mysql_native_password");
        assertThat(buf.isReadable()).isFalse();
    }

    @Test
    void corruptLengthsFailAsProtocolErrorsNamingWhatWasRead() {
        ByteBuf tooLong = Unpooled.buffer().writeByte(10).writeBytes(new byte[3]);
        assertThatThrownBy(() -> PacketFields.readLengthEncodedString(tooLong, StandardCharsets.UTF_8))
                .isInstanceOf(MySqlProtocolException.class)
                .hasMessageContaining("length-encoded string length 10 exceeds the 3 bytes left");

        ByteBuf badPrefix = Unpooled.buffer().writeByte(0xFF);
        assertThatThrownBy(() -> PacketFields.readLengthEncoded(badPrefix))
                .isInstanceOf(MySqlProtocolException.class)
                .hasMessageContaining("0xff");
    }
}
