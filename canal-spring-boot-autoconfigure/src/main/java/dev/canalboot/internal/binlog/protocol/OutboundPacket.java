package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A payload to send. {@code startsCommand} resets the sequence id to 0 (a new command phase); otherwise the
 * packet continues the current exchange (handshake response, auth data). A {@code standalone} packet travels with
 * sequence id 0 outside the current exchange, leaving the sequence of the packets being read untouched (the
 * semi-sync acknowledgement a replica sends while the binlog stream flows).
 */
public record OutboundPacket(ByteBuf payload, boolean startsCommand, boolean standalone) {

    public OutboundPacket(ByteBuf payload, boolean startsCommand) {
        this(payload, startsCommand, false);
    }

    public static OutboundPacket standalone(ByteBuf payload) {
        return new OutboundPacket(payload, false, true);
    }
}
