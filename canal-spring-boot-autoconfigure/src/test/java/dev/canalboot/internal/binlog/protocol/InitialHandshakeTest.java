package dev.canalboot.internal.binlog.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Protocol::HandshakeV10 as MySQL and MariaDB send it, built byte by byte from the protocol documentation: version
 * 10, NUL-terminated server version, 4-byte connection id, 8 bytes of auth data, a filler, the lower capability
 * bits, charset, status, the upper capability bits, the auth data length, 6 reserved bytes, 4 bytes MariaDB uses
 * for its extended capabilities, the rest of the auth data, then the NUL-terminated auth plugin name.
 */
class InitialHandshakeTest {

    private static final byte[] SCRAMBLE = "abcdefgh0123456789AB".getBytes(StandardCharsets.US_ASCII);
    private static final long MYSQL_CAPABILITIES = Capabilities.CLIENT_MYSQL | Capabilities.PROTOCOL_41
            | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH | Capabilities.DEPRECATE_EOF;

    @Test
    void mySqlHandshakeGivesItsFieldsAndTheScrambleWithoutItsNul() {
        ByteBuf packet = handshake("8.0.31", 77, MYSQL_CAPABILITIES, 0xFF, 0x0002, 21, 0, tail(SCRAMBLE, true),
                "caching_sha2_password");

        InitialHandshake h = InitialHandshake.decode(packet);

        assertThat(h.serverVersion()).isEqualTo("8.0.31");
        assertThat(h.connectionId()).isEqualTo(77);
        assertThat(h.capabilities()).isEqualTo(MYSQL_CAPABILITIES);
        assertThat(h.charset()).isEqualTo(0xFF);
        assertThat(h.status()).isEqualTo(0x0002);
        assertThat(h.scramble()).isEqualTo(SCRAMBLE);
        assertThat(h.authPlugin()).isEqualTo("caching_sha2_password");
        assertThat(h.isMariaDb()).isFalse();
        assertThat(h).hasToString("InitialHandshake[8.0.31, connection 77, plugin caching_sha2_password]");
        assertThat(packet.readerIndex()).as("decoding reads a duplicate").isZero();
    }

    @Test
    void connectionIdIsUnsigned() {
        InitialHandshake h = InitialHandshake.decode(handshake("8.4.3", 0xFFFF_FFFEL, MYSQL_CAPABILITIES, 8, 0, 21, 0,
                tail(SCRAMBLE, true), "mysql_native_password"));

        assertThat(h.connectionId()).isEqualTo(0xFFFF_FFFEL);
    }

    @Test
    void mariaDbExtendedCapabilitiesGoToTheUpperBits() {
        long capabilities = Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH;
        // MariaDB's extended capabilities: CLIENT_PROGRESS (bit 0), STMT_BULK_OPERATIONS (2), EXTENDED_METADATA (3).
        long extended = 0b1101;

        InitialHandshake h = InitialHandshake.decode(handshake("5.5.5-11.4.5-MariaDB-log", 9, capabilities, 45, 0,
                21, extended, tail(SCRAMBLE, true), "mysql_native_password"));

        assertThat(h.capabilities()).isEqualTo(capabilities | Capabilities.MARIADB_CLIENT_PROGRESS
                | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS | Capabilities.MARIADB_CLIENT_EXTENDED_METADATA);
        assertThat(h.isMariaDb()).isTrue();
    }

    @Test
    void theReservedBytesOfAMySqlServerAreNotMariaDbCapabilities() {
        // CLIENT_MYSQL set: the server is MySQL, whose last 4 reserved bytes carry no meaning.
        InitialHandshake h = InitialHandshake.decode(handshake("8.0.31", 1, MYSQL_CAPABILITIES, 8, 0, 21, 0xFFFF_FFFFL,
                tail(SCRAMBLE, true), "caching_sha2_password"));

        assertThat(h.capabilities() >>> 32).isZero();
    }

    @Test
    void scrambleWithoutATrailingNulIsKeptWhole() {
        byte[] longer = "abcdefgh0123456789ABCDE".getBytes(StandardCharsets.US_ASCII); // 8 + 15
        InitialHandshake h = InitialHandshake.decode(handshake("8.0.31", 1, MYSQL_CAPABILITIES, 8, 0, 23, 0,
                tail(longer, false), "caching_sha2_password"));

        assertThat(h.scramble()).isEqualTo(longer);
    }

    @Test
    void aZeroAuthDataLengthStillReadsThirteenBytesOfPartTwo() {
        InitialHandshake h = InitialHandshake.decode(handshake("8.0.31", 1, MYSQL_CAPABILITIES, 8, 0, 0, 0,
                tail(SCRAMBLE, true), "caching_sha2_password"));

        assertThat(h.scramble()).isEqualTo(SCRAMBLE);
        assertThat(h.authPlugin()).isEqualTo("caching_sha2_password");
    }

    @Test
    void withoutPluginAuthTheNativePluginIsAssumed() {
        long capabilities = Capabilities.CLIENT_MYSQL | Capabilities.PROTOCOL_41 | Capabilities.SECURE_CONNECTION;
        InitialHandshake h = InitialHandshake.decode(handshake("5.1.73", 1, capabilities, 8, 0, 21, 0,
                tail(SCRAMBLE, true), null));

        assertThat(h.authPlugin()).isEqualTo(AuthPlugins.NATIVE);
        assertThat(h.scramble()).isEqualTo(SCRAMBLE);
    }

    @Test
    void aHandshakeEndingAfterTheLowerCapabilitiesHasOnlyTheFirstScramblePart() {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(10);
        buf.writeBytes("4.1.0".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        buf.writeIntLE(5);
        buf.writeBytes(SCRAMBLE, 0, 8);
        buf.writeByte(0);
        buf.writeShortLE((int) Capabilities.PROTOCOL_41);

        InitialHandshake h = InitialHandshake.decode(buf);

        assertThat(h.scramble()).isEqualTo("abcdefgh".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.capabilities()).isEqualTo(Capabilities.PROTOCOL_41);
        assertThat(h.charset()).isZero();
        assertThat(h.status()).isZero();
        assertThat(h.authPlugin()).isEqualTo(AuthPlugins.NATIVE);
    }

    @Test
    void anErrPacketInsteadOfTheHandshakeSaysWhyTheServerRefused() {
        ByteBuf err = Unpooled.buffer();
        err.writeByte(0xFF).writeShortLE(1130);
        err.writeBytes("Host '10.0.0.7' is not allowed to connect to this MySQL server"
                .getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> InitialHandshake.decode(err))
                .isInstanceOf(MySqlProtocolException.class)
                .hasMessage("Server refused the connection: ERROR 1130: Host '10.0.0.7' is not allowed to connect"
                        + " to this MySQL server");
    }

    @Test
    void anotherProtocolVersionIsRefusedByNumber() {
        ByteBuf v9 = Unpooled.buffer();
        v9.writeByte(9).writeBytes("3.22".getBytes(StandardCharsets.US_ASCII)).writeByte(0);

        assertThatThrownBy(() -> InitialHandshake.decode(v9))
                .isInstanceOf(MySqlProtocolException.class)
                .hasMessage("Unsupported handshake protocol version 9 (only 10 is supported)");
    }

    /** Part 2 of the auth data: the scramble after its first 8 bytes, padded to 13 bytes, NUL-terminated if asked. */
    private static byte[] tail(byte[] scramble, boolean nul) {
        byte[] rest = java.util.Arrays.copyOfRange(scramble, 8, scramble.length);
        if (!nul) {
            return rest;
        }
        return java.util.Arrays.copyOf(rest, Math.max(13, rest.length + 1));
    }

    private static ByteBuf handshake(String version, long connectionId, long capabilities, int charset, int status,
                                     int authDataLength, long mariaDbExtended, byte[] part2, String plugin) {
        ByteBuf buf = Unpooled.buffer();
        buf.writeByte(10);
        buf.writeBytes(version.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        buf.writeIntLE((int) connectionId);
        buf.writeBytes(SCRAMBLE, 0, 8);
        buf.writeByte(0);
        buf.writeShortLE((int) (capabilities & 0xFFFF));
        buf.writeByte(charset);
        buf.writeShortLE(status);
        buf.writeShortLE((int) (capabilities >>> 16 & 0xFFFF));
        buf.writeByte(authDataLength);
        buf.writeZero(6);
        buf.writeIntLE((int) mariaDbExtended);
        buf.writeBytes(part2);
        if (plugin != null) {
            buf.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        }
        return buf;
    }
}
