package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;
import io.netty.util.AbstractReferenceCounted;

/**
 * One logical MySQL packet: its payload (split packets already joined) and the sequence id of its first
 * frame. The receiver owns the payload and releases the packet.
 */
public final class Packet extends AbstractReferenceCounted {

    private final int sequenceId;
    private final ByteBuf payload;

    public Packet(int sequenceId, ByteBuf payload) {
        this.sequenceId = sequenceId;
        this.payload = payload;
    }

    public int sequenceId() {
        return sequenceId;
    }

    public ByteBuf payload() {
        return payload;
    }

    /** The first payload byte without consuming it (0x00 OK, 0xFF ERR, 0xFE EOF/auth switch...). */
    public int header() {
        return payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
    }

    public boolean isErr() {
        return header() == 0xFF;
    }

    public boolean isOk() {
        return header() == 0x00;
    }

    /** An EOF packet (0xFE, short), not a length-encoded integer or an auth switch. */
    public boolean isEof() {
        return header() == 0xFE && payload.readableBytes() < 9;
    }

    @Override
    protected void deallocate() {
        payload.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        payload.touch(hint);
        return this;
    }
}
