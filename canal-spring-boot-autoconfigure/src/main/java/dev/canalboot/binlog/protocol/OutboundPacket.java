package dev.canalboot.binlog.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A payload to send. {@code startsCommand} resets the sequence id to 0 (a new command phase); otherwise the
 * packet continues the current exchange (handshake response, auth data).
 */
public record OutboundPacket(ByteBuf payload, boolean startsCommand) {
}
