package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketCodecTest {

    static ByteBuf frame(int sequence, byte[] payload, int from, int length) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeMediumLE(length).writeByte(sequence).writeBytes(payload, from, length);
        return buf;
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void readsPacketsSplitAcrossReadsAndChecksSequence() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        byte[] a = random(10);
        ByteBuf wire = frame(0, a, 0, a.length).writeBytes(frame(1, new byte[]{1, 2}, 0, 2));
        // deliver byte by byte: framing must not depend on read boundaries
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        Packet first = ch.readInbound();
        assertThat(first.sequenceId()).isEqualTo(0);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(first.payload())).isEqualTo(a);
        first.release();
        Packet second = ch.readInbound();
        assertThat(second.sequenceId()).isEqualTo(1);
        assertThat(second.payload().readableBytes()).isEqualTo(2);
        second.release();
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void anOutOfOrderSequenceIdIsAnErrorNamingThePeer() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("db.example:3306"));
        assertThatThrownBy(() -> ch.writeInbound(frame(2, new byte[]{0}, 0, 1)))
                .isInstanceOf(DecoderException.class)
                .hasMessageContaining("db.example:3306")
                .hasMessageContaining("sequence id 2 but 0 was expected");
    }

    @Test
    void joinsAPayloadOf16MiBAndMoreFromItsFrames() {
        int size = PacketCodec.MAX_FRAME * 2 + 5;
        byte[] payload = random(size);
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        ch.writeInbound(frame(0, payload, 0, PacketCodec.MAX_FRAME));
        assertThat((Object) ch.readInbound()).as("incomplete until a short frame").isNull();
        ch.writeInbound(frame(1, payload, PacketCodec.MAX_FRAME, PacketCodec.MAX_FRAME));
        ch.writeInbound(frame(2, payload, 2 * PacketCodec.MAX_FRAME, 5));
        Packet packet = ch.readInbound();
        assertThat(packet.sequenceId()).isEqualTo(0);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(packet.payload())).isEqualTo(payload);
        packet.release();
    }

    @Test
    void aPayloadOfExactly16MiBMinusOneEndsWithAnEmptyFrame() {
        byte[] payload = random(PacketCodec.MAX_FRAME);
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        ch.writeInbound(frame(0, payload, 0, PacketCodec.MAX_FRAME));
        ch.writeInbound(frame(1, payload, 0, 0));
        Packet packet = ch.readInbound();
        assertThat(packet.payload().readableBytes()).isEqualTo(PacketCodec.MAX_FRAME);
        packet.release();
    }

    @Test
    void writesLargePayloadsAsFramesThatReadBackWhole() {
        int[] sizes = {0, 1, PacketCodec.MAX_FRAME - 1, PacketCodec.MAX_FRAME, PacketCodec.MAX_FRAME + 1};
        for (int size : sizes) {
            byte[] payload = random(size);
            EmbeddedChannel writer = new EmbeddedChannel(new PacketCodec("test:1"));
            writer.writeOutbound(new OutboundPacket(Unpooled.wrappedBuffer(payload), true));
            EmbeddedChannel reader = new EmbeddedChannel(new PacketCodec("test:1"));
            for (Object out; (out = writer.readOutbound()) != null; ) {
                reader.writeInbound(out);
            }
            Packet packet = reader.readInbound();
            assertThat(packet).as("payload of %d bytes", size).isNotNull();
            assertThat(io.netty.buffer.ByteBufUtil.getBytes(packet.payload())).isEqualTo(payload);
            packet.release();
            assertThat((Object) reader.readInbound()).isNull();
        }
    }

    @Test
    void aNewCommandRestartsTheSequenceAndAContinuationGoesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        ch.writeInbound(frame(0, new byte[]{10}, 0, 1)); // server greeting, seq 0
        ((Packet) ch.readInbound()).release();
        ch.writeOutbound(new OutboundPacket(Unpooled.wrappedBuffer(new byte[]{1}), false));
        ByteBuf out = ch.readOutbound();
        assertThat(out.getUnsignedByte(3)).isEqualTo((short) 1);
        out.release();
        ch.writeOutbound(new OutboundPacket(Unpooled.wrappedBuffer(new byte[]{3}), true));
        out = ch.readOutbound();
        assertThat(out.getUnsignedByte(3)).isEqualTo((short) 0);
        out.release();
        ch.writeInbound(frame(1, new byte[]{0}, 0, 1)); // the reply to the command
        ((Packet) ch.readInbound()).release();
    }

    @Test
    void aStandalonePacketGoesWithSequenceZeroAndLeavesTheStreamSequenceAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        ch.writeOutbound(new OutboundPacket(Unpooled.wrappedBuffer(new byte[]{0x12}), true)); // the dump command
        ((ByteBuf) ch.readOutbound()).release();
        ch.writeInbound(frame(1, new byte[]{0}, 0, 1)); // events follow with 1, 2, ...
        ((Packet) ch.readInbound()).release();

        ch.writeOutbound(OutboundPacket.standalone(BinlogCommands.semiSyncAck(ch.alloc(), "binlog.000007", 1234)));
        ByteBuf ack = ch.readOutbound();
        assertThat(ack.getUnsignedMediumLE(0)).isEqualTo(1 + 8 + "binlog.000007".length());
        assertThat(ack.getUnsignedByte(3)).as("sequence id").isEqualTo((short) 0);
        assertThat(ack.getUnsignedByte(4)).isEqualTo((short) 0xEF);
        assertThat(ack.getLongLE(5)).isEqualTo(1234);
        assertThat(ack.toString(13, ack.readableBytes() - 13, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("binlog.000007");
        ack.release();

        ch.writeInbound(frame(2, new byte[]{0}, 0, 1)); // the stream goes on at 2
        ((Packet) ch.readInbound()).release();
    }

    @Test
    void aSemiSyncStreamRestartsItsSequenceAfterAnEventThatAsksForAnAcknowledgement() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        ((PacketCodec) ch.pipeline().first()).expectSemiSyncStream();
        ch.writeOutbound(new OutboundPacket(Unpooled.wrappedBuffer(new byte[]{0x12}), true));
        ((ByteBuf) ch.readOutbound()).release();
        ByteBuf wire = frame(1, new byte[]{0, (byte) 0xEF, 0, 0, 0, 0, 0}, 0, 7)   // first event: header present
                .writeBytes(frame(2, new byte[]{0, (byte) 0xEF, 0, 9, 9}, 0, 5))   // no acknowledgement wanted
                .writeBytes(frame(3, new byte[]{0, (byte) 0xEF, 1, 9, 9}, 0, 5))   // a commit that wants one
                .writeBytes(frame(1, new byte[]{0, (byte) 0xEF, 0, 7, 7}, 0, 5));  // the server starts again at 1
        ch.writeInbound(wire);
        for (int i = 0; i < 4; i++) {
            ((Packet) ch.readInbound()).release();
        }
    }

    @Test
    void withoutTheSemiSyncHeaderOnTheFirstEventLookalikeBytesDoNotRestartTheSequence() {
        EmbeddedChannel ch = new EmbeddedChannel(new PacketCodec("test:1"));
        ((PacketCodec) ch.pipeline().first()).expectSemiSyncStream();
        ch.writeOutbound(new OutboundPacket(Unpooled.wrappedBuffer(new byte[]{0x12}), true));
        ((ByteBuf) ch.readOutbound()).release();
        ch.writeInbound(frame(1, new byte[]{0, 0, 0, 0, 0}, 0, 5)                 // first event: no header
                .writeBytes(frame(2, new byte[]{0, (byte) 0xEF, 1, 9, 9}, 0, 5))   // a timestamp that looks like one
                .writeBytes(frame(3, new byte[]{0, 1, 1, 1, 1}, 0, 5)));
        for (int i = 0; i < 3; i++) {
            ((Packet) ch.readInbound()).release();
        }
        assertThatThrownBy(() -> ch.writeInbound(frame(1, new byte[]{0, 1}, 0, 2)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("sequence id 1 but 4 was expected");
    }
}
