package dev.canalboot.canal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/** One length-stripped frame → one {@link Packet}; a frame that is not a Packet is a corrupt frame. */
final class CanalPacketDecoder extends MessageToMessageDecoder<ByteBuf> {

    CanalPacketDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        try {
            Packet packet = Packet.parser().parseFrom(frame.nioBuffer());
            if (packet.getType() == dev.canalboot.proto.CanalPacketProtos.PacketType.UNRECOGNIZED) {
                throw new CorruptedFrameException("frame of " + length + " bytes has unknown packet type "
                        + packet.getTypeValue());
            }
            out.add(packet);
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptedFrameException("frame of " + length + " bytes is not a Canal packet (starts "
                    + ByteBufUtil.hexDump(frame, frame.readerIndex(), Math.min(length, 16)) + "): " + e.getMessage(), e);
        }
        frame.skipBytes(length);
    }
}
