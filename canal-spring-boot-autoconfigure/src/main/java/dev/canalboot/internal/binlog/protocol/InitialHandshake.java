package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * The server's Protocol::HandshakeV10.
 *
 * @param capabilities lower 32 bits: the server's capability flags; upper 32 bits: MariaDB's extended
 *                     capabilities (only when the server is MariaDB)
 * @param scramble     auth-plugin-data, both parts joined, without the trailing NUL
 * @param authPlugin   the default auth plugin's name
 */
public record InitialHandshake(String serverVersion, long connectionId, long capabilities, int charset,
                               int status, byte[] scramble, String authPlugin) {

    public static InitialHandshake decode(ByteBuf payload) {
        ByteBuf buf = payload.duplicate();
        int protocol = buf.readUnsignedByte();
        if (protocol == 0xFF) {
            throw new MySqlProtocolException("Server refused the connection: " + ErrPacket.decode(payload));
        }
        if (protocol != 10) {
            throw new MySqlProtocolException("Unsupported handshake protocol version " + protocol
                    + " (only 10 is supported)");
        }
        String version = PacketFields.readNulTerminated(buf);
        long connectionId = buf.readUnsignedIntLE();
        byte[] part1 = new byte[8];
        buf.readBytes(part1);
        buf.skipBytes(1);
        long capabilities = buf.readUnsignedShortLE();
        int charset = 0;
        int status = 0;
        int authDataLength = 0;
        long mariaDbExtended = 0;
        if (buf.isReadable()) {
            charset = buf.readUnsignedByte();
            status = buf.readUnsignedShortLE();
            capabilities |= (long) buf.readUnsignedShortLE() << 16;
            authDataLength = buf.readUnsignedByte();
            buf.skipBytes(6);
            long extended = buf.readUnsignedIntLE();
            if (!Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL)) {
                mariaDbExtended = extended;
            }
        }
        byte[] scramble = part1;
        if (Capabilities.has(capabilities, Capabilities.SECURE_CONNECTION)) {
            int length = Math.max(13, authDataLength - 8);
            byte[] part2 = new byte[length];
            buf.readBytes(part2);
            // The last byte of part 2 is a NUL terminator, not scramble data.
            int used = part2[length - 1] == 0 ? length - 1 : length;
            scramble = Arrays.copyOf(part1, 8 + used);
            System.arraycopy(part2, 0, scramble, 8, used);
        }
        String plugin = Capabilities.has(capabilities, Capabilities.PLUGIN_AUTH) && buf.isReadable()
                ? PacketFields.readNulTerminated(buf) : AuthPlugins.NATIVE;
        return new InitialHandshake(version, connectionId, capabilities | mariaDbExtended << 32, charset, status,
                scramble, plugin);
    }

    /** MariaDB announces itself in the version string (11.x prefixes it with "5.5.5-" for old clients). */
    public boolean isMariaDb() {
        return serverVersion.contains("MariaDB");
    }

    @Override
    public String toString() {
        return "InitialHandshake[" + serverVersion + ", connection " + connectionId + ", plugin " + authPlugin + "]";
    }
}
