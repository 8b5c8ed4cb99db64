package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;

import java.util.List;

/**
 * MySQL packet framing: 3-byte little-endian payload length + 1-byte sequence id. A payload of 0xFFFFFF
 * bytes or more travels as several frames, each full frame followed by the next (the last one shorter,
 * possibly empty); they are joined on read and split on write. Sequence ids run on across reads and
 * writes of one exchange and restart at 0 with each command; an id out of order is an error.
 */
public final class PacketCodec extends ByteToMessageCodec<OutboundPacket> {

    static final int MAX_FRAME = 0xFFFFFF;

    private enum SemiSync { OFF, DETECT, ON }

    private final String peer;
    private int nextSequence;
    private SemiSync semiSync = SemiSync.OFF;
    /** Frames of a split payload read so far, or null. */
    private CompositeByteBuf pendingSplit;
    private int pendingSplitSequence;

    public PacketCodec(String peer) {
        this.peer = peer;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundPacket msg, ByteBuf out) {
        if (msg.startsCommand()) {
            nextSequence = 0;
        }
        int sequence = msg.standalone() ? 0 : nextSequence;
        ByteBuf payload = msg.payload();
        try {
            // A payload of exactly n * 0xFFFFFF bytes ends with an empty frame, so `do` runs at least once more.
            boolean more;
            do {
                int length = Math.min(payload.readableBytes(), MAX_FRAME);
                out.writeMediumLE(length);
                out.writeByte(sequence);
                sequence = (sequence + 1) & 0xFF;
                out.writeBytes(payload, length);
                more = length == MAX_FRAME;
            } while (more);
        } finally {
            payload.release();
        }
        if (!msg.standalone()) {
            nextSequence = sequence;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int length = in.getUnsignedMediumLE(in.readerIndex());
            if (in.readableBytes() < 4 + length) {
                return;
            }
            int sequence = in.getUnsignedByte(in.readerIndex() + 3);
            if (sequence != nextSequence) {
                throw new MySqlProtocolException("Packet from " + peer + " has sequence id " + sequence
                        + " but " + nextSequence + " was expected (packets lost or reordered)");
            }
            nextSequence = (sequence + 1) & 0xFF;
            if (semiSync != SemiSync.OFF && pendingSplit == null) { // only a packet's first frame has the header
                followSemiSync(in, in.readerIndex() + 4, length);
            }
            in.skipBytes(4);
            ByteBuf frame = in.readRetainedSlice(length);
            if (pendingSplit == null && length < MAX_FRAME) {
                out.add(new Packet(sequence, frame));
                continue;
            }
            if (pendingSplit == null) {
                pendingSplit = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                pendingSplitSequence = sequence;
            }
            pendingSplit.addComponent(true, frame);
            if (length < MAX_FRAME) {
                out.add(new Packet(pendingSplitSequence, pendingSplit));
                pendingSplit = null;
            }
        }
    }

    /**
     * The binlog stream about to start is that of a replica that asked for semi-sync: if its first event carries
     * the semi-sync header, the server restarts the sequence after every event that asks for an acknowledgement
     * (the acknowledgement, sent or not, counts as sequence 0). Call on the channel's event loop before the dump.
     */
    public void expectSemiSyncStream() {
        semiSync = SemiSync.DETECT;
    }

    private void followSemiSync(ByteBuf in, int payload, int length) {
        boolean header = length >= 3 && in.getUnsignedByte(payload) == 0
                && in.getUnsignedByte(payload + 1) == BinlogCommands.SEMI_SYNC_INDICATOR;
        if (semiSync == SemiSync.DETECT) {
            semiSync = header ? SemiSync.ON : SemiSync.OFF;
        } else if (header && (in.getUnsignedByte(payload + 2) & BinlogCommands.SEMI_SYNC_ACK_REQUESTED) != 0) {
            nextSequence = 1;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        super.handlerRemoved(ctx);
        if (pendingSplit != null) {
            pendingSplit.release();
            pendingSplit = null;
        }
    }
}
