package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection phase against hand-built server packets (Protocol::HandshakeV10, OK, ERR, AuthSwitchRequest,
 * AuthMoreData), on an in-memory channel: what the client answers, and how the phase ends.
 */
class AuthHandlerTest {

    private static final long SERVER_CAPS = Capabilities.LONG_PASSWORD | Capabilities.LONG_FLAG
            | Capabilities.CONNECT_WITH_DB | Capabilities.PROTOCOL_41 | Capabilities.TRANSACTIONS
            | Capabilities.SECURE_CONNECTION | Capabilities.PLUGIN_AUTH | Capabilities.CONNECT_ATTRS
            | Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capabilities.DEPRECATE_EOF;
    private static final byte[] SCRAMBLE = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionSettings settings = new ConnectionSettings("db.example", 3306, "canal", "secret",
            null, TlsSettings.DISABLED, Duration.ofSeconds(1));

    /** Protocol::HandshakeV10 with a 20-byte scramble. */
    static ByteBuf greeting(String version, long capabilities, String plugin) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(10).writeBytes(version.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        b.writeIntLE(77).writeBytes(SCRAMBLE, 0, 8).writeByte(0);
        b.writeShortLE((int) capabilities).writeByte(45).writeShortLE(2).writeShortLE((int) (capabilities >>> 16));
        b.writeByte(21).writeZero(6).writeIntLE((int) (capabilities >>> 32));
        b.writeBytes(SCRAMBLE, 8, 12).writeByte(0);
        b.writeBytes(plugin.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        return b;
    }

    private static Packet packet(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int v : bytes) {
            b.writeByte(v);
        }
        return new Packet(2, b);
    }

    private static Packet packet(ByteBuf payload) {
        return new Packet(2, payload);
    }

    private static Packet ok() {
        return packet(0x00, 0, 0, 2, 0, 0, 0);
    }

    private static Packet err(int code, String state, String message) {
        ByteBuf b = Unpooled.buffer().writeByte(0xff).writeShortLE(code).writeByte('#')
                .writeBytes(state.getBytes(StandardCharsets.US_ASCII)).writeBytes(message.getBytes(StandardCharsets.UTF_8));
        return packet(b);
    }

    private record Session(EmbeddedChannel channel, Promise<ServerInfo> done, AuthHandler handler) {

        ByteBuf sent() {
            OutboundPacket out = channel.readOutbound();
            assertThat(out).as("a packet sent to the server").isNotNull();
            return out.payload();
        }

        SourceException failure() {
            assertThat(done.isDone()).as("the connection phase ended").isTrue();
            assertThat(done.cause()).isInstanceOf(SourceException.class);
            return (SourceException) done.cause();
        }
    }

    private Session session(ConnectionSettings settings) {
        EmbeddedChannel channel = new EmbeddedChannel();
        Promise<ServerInfo> done = channel.eventLoop().newPromise();
        AuthHandler handler = new AuthHandler(settings, done);
        channel.pipeline().addLast(handler);
        return new Session(channel, done, handler);
    }

    private static byte[] rest(ByteBuf b, int length) {
        byte[] out = new byte[length];
        b.readBytes(out);
        return out;
    }

    private static String nulTerminated(ByteBuf b) {
        return PacketFields.readNulTerminated(b);
    }

    @Test
    void answersTheGreetingWithAHandshakeResponseAndSucceedsOnOk() {
        Session s = session(settings.withDatabase("shop"));
        s.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        assertThat(s.handler().greeted()).isTrue();
        ByteBuf response = s.sent();
        long caps = response.readUnsignedIntLE();
        assertThat(caps).isEqualTo(Capabilities.CLIENT_WANTS & SERVER_CAPS | Capabilities.CONNECT_WITH_DB);
        assertThat(Capabilities.has(caps, Capabilities.SSL)).isFalse();
        assertThat(response.readIntLE()).as("max packet").isEqualTo(1 << 30);
        assertThat(response.readUnsignedByte()).isEqualTo((short) AuthHandler.UTF8MB4_GENERAL_CI);
        response.skipBytes(23);
        assertThat(nulTerminated(response)).isEqualTo("canal");
        int authLength = response.readUnsignedByte();
        assertThat(rest(response, authLength)).isEqualTo(AuthPlugins.nativePassword("secret", SCRAMBLE));
        assertThat(nulTerminated(response)).isEqualTo("shop");
        assertThat(nulTerminated(response)).isEqualTo(AuthPlugins.NATIVE);
        assertThat(response.toString(StandardCharsets.UTF_8)).contains("_client_name").contains("canal-spring-boot-starter");

        s.channel().writeInbound(ok());
        assertThat(s.done().isSuccess()).isTrue();
        ServerInfo info = s.done().getNow();
        assertThat(info.version()).isEqualTo("8.0.36");
        assertThat(info.connectionId()).isEqualTo(77);
        assertThat(info.authPlugin()).isEqualTo(AuthPlugins.NATIVE);
        assertThat(info.tls()).isFalse();
        assertThat(info.fullAuthentication()).isFalse();
        assertThat(info.mariaDb()).isFalse();
        assertThat(s.channel().pipeline().get(AuthHandler.class)).as("removed after the connection phase").isNull();
    }

    @Test
    void withoutADatabaseTheResponseDoesNotAskForOne() {
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        assertThat(Capabilities.has(s.sent().readUnsignedIntLE(), Capabilities.CONNECT_WITH_DB)).isFalse();
    }

    @Test
    void aMariaDbServerIsNotToldTheClientIsMySql() {
        // an older MariaDB still sets bit 0 (CLIENT_LONG_PASSWORD, which is CLIENT_MYSQL) in its greeting
        Session old = session(settings);
        old.channel().writeInbound(packet(greeting("10.1.48-MariaDB", SERVER_CAPS, AuthPlugins.NATIVE)));
        assertThat(Capabilities.has(old.sent().readUnsignedIntLE(), Capabilities.CLIENT_MYSQL)).isFalse();

        Session s = session(settings);
        long mariaCaps = SERVER_CAPS & ~Capabilities.CLIENT_MYSQL | Capabilities.MARIADB_CLIENT_PROGRESS;
        s.channel().writeInbound(packet(greeting("5.5.5-11.4.5-MariaDB", mariaCaps, AuthPlugins.ED25519)));
        ByteBuf response = s.sent();
        assertThat(Capabilities.has(response.readUnsignedIntLE(), Capabilities.CLIENT_MYSQL)).isFalse();
        response.skipBytes(4 + 1 + 23);
        nulTerminated(response);
        response.skipBytes(response.readUnsignedByte());
        assertThat(nulTerminated(response)).as("offered while ed25519 waits for the server's switch")
                .isEqualTo(AuthPlugins.NATIVE);
        s.channel().writeInbound(ok());
        assertThat(s.done().getNow().mariaDb()).isTrue();
        assertThat(s.done().getNow().capabilities() & Capabilities.MARIADB_CLIENT_PROGRESS).isNotZero();
    }

    @Test
    void anAuthSwitchIsAnsweredWithTheNewPluginsScramble() {
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.CACHING_SHA2)));
        s.sent();
        byte[] fresh = "ABCDEFGHIJKLMNOPQRST".getBytes(StandardCharsets.US_ASCII);
        ByteBuf change = Unpooled.buffer().writeByte(0xfe).writeBytes(AuthPlugins.NATIVE.getBytes(StandardCharsets.US_ASCII))
                .writeByte(0).writeBytes(fresh).writeByte(0);
        s.channel().writeInbound(packet(change));
        ByteBuf answer = s.sent();
        assertThat(rest(answer, answer.readableBytes())).isEqualTo(AuthPlugins.nativePassword("secret", fresh));
        s.channel().writeInbound(ok());
        assertThat(s.done().getNow().authPlugin()).isEqualTo(AuthPlugins.NATIVE);
    }

    @Test
    void cachingSha2FastAuthenticationWaitsForTheOk() {
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("8.4.3", SERVER_CAPS, AuthPlugins.CACHING_SHA2)));
        ByteBuf response = s.sent();
        response.skipBytes(4 + 4 + 1 + 23);
        nulTerminated(response);
        assertThat(rest(response, response.readUnsignedByte())).isEqualTo(AuthPlugins.cachingSha2("secret", SCRAMBLE));
        s.channel().writeInbound(packet(0x01, AuthPlugins.FAST_AUTH_OK));
        assertThat((Object) s.channel().readOutbound()).isNull();
        assertThat(s.done().isDone()).isFalse();
        s.channel().writeInbound(ok());
        assertThat(s.done().getNow().fullAuthentication()).isFalse();
    }

    @Test
    void cachingSha2FullAuthenticationWithoutTlsSendsThePasswordEncryptedWithTheServersKey() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("8.4.3", SERVER_CAPS, AuthPlugins.CACHING_SHA2)));
        s.sent();
        s.channel().writeInbound(packet(0x01, AuthPlugins.PERFORM_FULL_AUTH));
        ByteBuf request = s.sent();
        assertThat(rest(request, request.readableBytes())).as("request the public key")
                .containsExactly(AuthPlugins.REQUEST_PUBLIC_KEY);
        s.channel().writeInbound(packet(Unpooled.buffer().writeByte(0x01).writeBytes(pem.getBytes(StandardCharsets.US_ASCII))));
        ByteBuf encrypted = s.sent();
        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] plain = cipher.doFinal(rest(encrypted, encrypted.readableBytes()));
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= SCRAMBLE[i % 20];
        }
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("secret\0");
        s.channel().writeInbound(ok());
        assertThat(s.done().getNow().fullAuthentication()).isTrue();
    }

    @Test
    void aRefusedLoginNamesTheLoginAndTheServersError() {
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        s.sent();
        s.channel().writeInbound(err(1045, "28000", "Access denied for user 'canal'"));
        SourceException e = s.failure();
        assertThat(e).isInstanceOf(MySqlServerException.class)
                .hasMessage("Authentication of canal@db.example:3306 failed: ERROR 1045 (28000): Access denied for user 'canal'");
        assertThat(e.isRetryable()).isFalse();
        assertThat(s.channel().isOpen()).as("closed on failure").isFalse();
    }

    @Test
    void aGreetingErrorIsRetryableOnlyForTooManyConnections() {
        Session busy = session(settings);
        busy.channel().writeInbound(err(1040, "08004", "Too many connections"));
        assertThat(busy.failure()).hasMessageStartingWith("Server db.example:3306 refused the connection: ERROR 1040");
        assertThat(busy.failure().isRetryable()).isTrue();
        Session blocked = session(settings);
        blocked.channel().writeInbound(err(1129, "HY000", "Host is blocked"));
        assertThat(blocked.failure().isRetryable()).isFalse();
    }

    @Test
    void aServerWithoutPluginAuthenticationIsTooOld() {
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("5.0.96", SERVER_CAPS & ~Capabilities.PLUGIN_AUTH, AuthPlugins.NATIVE)));
        assertThat(s.failure()).isInstanceOf(MySqlProtocolException.class)
                .hasMessage("Server db.example:3306 (5.0.96) lacks protocol 4.1 with plugin authentication;"
                        + " it is too old for this client");
    }

    @Test
    void requiredTlsAgainstAServerWithoutTlsFailsWithoutSendingThePassword() {
        Session s = session(settings.withTls(TlsSettings.of(TlsMode.REQUIRED)));
        s.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        assertThat(s.failure()).hasMessage("TLS mode REQUIRED but server db.example:3306 does not offer TLS");
        assertThat((Object) s.channel().readOutbound()).isNull();
    }

    @Test
    void unexpectedPacketsWhileAuthenticatingAreProtocolErrors() {
        Session s = session(settings);
        s.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        s.sent();
        s.channel().writeInbound(packet(0x01, 0x03));
        assertThat(s.failure()).isInstanceOf(MySqlProtocolException.class)
                .hasMessage("Unexpected auth data for plugin mysql_native_password from db.example:3306");

        Session other = session(settings);
        other.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        other.sent();
        other.channel().writeInbound(packet(0x07));
        assertThat(other.failure()).hasMessage("Unexpected packet 0x7 from db.example:3306 while authenticating"
                + " canal@db.example:3306");

        Session sha = session(settings);
        sha.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.CACHING_SHA2)));
        sha.sent();
        sha.channel().writeInbound(packet(0x01, 9));
        assertThat(sha.failure()).hasMessage("Unknown caching_sha2_password status 9 from db.example:3306");
    }

    @Test
    void aClosedConnectionSaysWhichPhaseItEnded() {
        Session early = session(settings);
        early.channel().close();
        assertThat(early.failure()).hasMessage("Server db.example:3306 closed the connection while connecting");
        assertThat(early.failure().isRetryable()).isTrue();
        Session later = session(settings);
        later.channel().writeInbound(packet(greeting("8.0.36", SERVER_CAPS, AuthPlugins.NATIVE)));
        later.channel().close();
        assertThat(later.failure()).hasMessage("Server db.example:3306 closed the connection while authenticating"
                + " canal@db.example:3306");
    }
}
