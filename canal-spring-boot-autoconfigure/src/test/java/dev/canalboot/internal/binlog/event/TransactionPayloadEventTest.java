package dev.canalboot.internal.binlog.event;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TRANSACTION_PAYLOAD_EVENT bodies built from the MySQL source documentation's layout: fields as (type, length,
 * value) with length-encoded integers (1 = payload size, 2 = compression type, 3 = uncompressed size), a 0 end mark,
 * then the compressed bytes.
 */
class TransactionPayloadEventTest {

    private static final byte[] PAYLOAD = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1, 2, 3};

    @Test
    void decodesTheFieldsAndSlicesThePayloadAfterTheEndMark() {
        ByteBuf body = Unpooled.buffer();
        field(body, 2, 0);                      // zstd
        field(body, 3, 70_000);                 // needs the 0xfd three-byte form
        field(body, 1, PAYLOAD.length);
        body.writeByte(0);
        body.writeBytes(PAYLOAD);
        body.writeIntLE(0xCAFEBABE);            // what follows the event (its checksum) stays unread

        TransactionPayloadEvent e = TransactionPayloadEvent.decode(body);

        assertThat(e.compression()).isEqualTo(TransactionPayloadEvent.ZSTD);
        assertThat(e.uncompressedSize()).isEqualTo(70_000);
        assertThat(ByteBufUtil.getBytes(e.payload())).isEqualTo(PAYLOAD);
        assertThat(body.readableBytes()).isEqualTo(4);
    }

    @Test
    void uncompressedPayloadsAndFieldsOfLaterVersionsAreAccepted() {
        ByteBuf body = Unpooled.buffer();
        field(body, 9, 12345);                  // unknown field: skipped by its length
        field(body, 1, PAYLOAD.length);
        field(body, 2, 255);
        field(body, 3, PAYLOAD.length);
        body.writeByte(0);
        body.writeBytes(PAYLOAD);

        TransactionPayloadEvent e = TransactionPayloadEvent.decode(body);

        assertThat(e.compression()).isEqualTo(TransactionPayloadEvent.NONE);
        assertThat(ByteBufUtil.getBytes(e.payload())).isEqualTo(PAYLOAD);
    }

    @Test
    void anUnsupportedCompressionIsRefusedByItsNumber() {
        ByteBuf body = Unpooled.buffer();
        field(body, 1, PAYLOAD.length);
        field(body, 2, 1);
        field(body, 3, 100);
        body.writeByte(0).writeBytes(PAYLOAD);

        assertThatThrownBy(() -> TransactionPayloadEvent.decode(body))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("transaction payload with unsupported compression type 1");
    }

    @Test
    void aMissingCompressionTypeIsRefused() {
        ByteBuf body = Unpooled.buffer();
        field(body, 1, PAYLOAD.length);
        field(body, 3, 100);
        body.writeByte(0).writeBytes(PAYLOAD);

        assertThatThrownBy(() -> TransactionPayloadEvent.decode(body))
                .hasMessage("transaction payload with unsupported compression type -1");
    }

    @Test
    void aMissingPayloadSizeIsRefused() {
        ByteBuf body = Unpooled.buffer();
        field(body, 2, 0);
        field(body, 3, 100);
        body.writeByte(0).writeBytes(PAYLOAD);

        assertThatThrownBy(() -> TransactionPayloadEvent.decode(body))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("transaction payload without payload or uncompressed size");
    }

    @Test
    void aMissingUncompressedSizeIsRefused() {
        ByteBuf body = Unpooled.buffer();
        field(body, 1, PAYLOAD.length);
        field(body, 2, 0);
        body.writeByte(0).writeBytes(PAYLOAD);

        assertThatThrownBy(() -> TransactionPayloadEvent.decode(body))
                .hasMessage("transaction payload without payload or uncompressed size");
    }

    @Test
    void aPayloadSizeBeyondTheEventIsRefused() {
        ByteBuf body = Unpooled.buffer();
        field(body, 1, 100);
        field(body, 2, 0);
        field(body, 3, 100);
        body.writeByte(0).writeBytes(PAYLOAD);

        assertThatThrownBy(() -> TransactionPayloadEvent.decode(body))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("transaction payload length 100 exceeds the 7 bytes left");
    }

    @Test
    void aFieldLengthBeyondTheEventIsRefused() {
        ByteBuf body = Unpooled.buffer();
        body.writeByte(1).writeByte(50).writeByte(7);

        assertThatThrownBy(() -> TransactionPayloadEvent.decode(body))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("transaction payload field length 50 exceeds the 1 bytes left");
    }

    /** One field: type, length of the value, value, each a length-encoded integer. */
    private static void field(ByteBuf body, int type, long value) {
        ByteBuf v = Unpooled.buffer();
        lenenc(v, value);
        lenenc(body, type);
        lenenc(body, v.readableBytes());
        body.writeBytes(v);
    }

    private static void lenenc(ByteBuf out, long value) {
        if (value < 0xfb) {
            out.writeByte((int) value);
        } else if (value < 1 << 16) {
            out.writeByte(0xfc).writeShortLE((int) value);
        } else if (value < 1 << 24) {
            out.writeByte(0xfd).writeMediumLE((int) value);
        } else {
            out.writeByte(0xfe).writeLongLE(value);
        }
    }
}
