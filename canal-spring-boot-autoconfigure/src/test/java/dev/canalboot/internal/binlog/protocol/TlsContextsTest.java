package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client TLS handler per mode: which modes check the certificate and the host name, where trust and the client
 * key come from, and the error for a store that cannot be read. Handshakes run in memory against a Netty server
 * handler with the self-signed certificate of {@code tls/tls-contexts-server.p12} (CN=localhost, made with
 * keytool, valid until December 2036; no database, no process).
 */
class TlsContextsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path directory;

    /** The server's key and self-signed certificate (also usable as a client key store). */
    private static Path keyStore;
    /** A PKCS12 store trusting only that certificate. */
    private static Path trustStore;
    private static KeyStore keys;

    @BeforeAll
    static void makeCertificate() throws Exception {
        keyStore = directory.resolve("server.p12");
        try (InputStream in = TlsContextsTest.class.getResourceAsStream("/tls/tls-contexts-server.p12")) {
            Files.copy(in, keyStore);
        }
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", certificate());
        trustStore = directory.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD);
        }
    }

    private static Certificate certificate() throws Exception {
        return keys.getCertificate("server");
    }

    private static SslHandler client(TlsSettings tls) {
        return TlsContexts.newHandler(tls, ByteBufAllocator.DEFAULT, "db.example", 3306);
    }

    private static SslContext server(boolean requireClientCertificate) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SslContextBuilder builder = SslContextBuilder.forServer(kmf);
        if (requireClientCertificate) {
            builder.clientAuth(ClientAuth.REQUIRE).trustManager((java.security.cert.X509Certificate) certificate());
        }
        return builder.build();
    }

    /** Runs the handshake between {@code client} and a server handler in memory; the client's handshake outcome. */
    private static Future<?> handshake(SslHandler client, SslContext server) {
        return handshake(client, server.newHandler(ByteBufAllocator.DEFAULT))[0];
    }

    /** The handshake outcomes of client and server (with TLS 1.3 the client may finish before the server refuses). */
    private static Future<?>[] handshake(SslHandler client, SslHandler server) {
        EmbeddedChannel clientChannel = new EmbeddedChannel(client);
        EmbeddedChannel serverChannel = new EmbeddedChannel(server);
        for (int round = 0; round < 50 && !(client.handshakeFuture().isDone() && server.handshakeFuture().isDone());
             round++) {
            try {
                shuttle(clientChannel, serverChannel);
                shuttle(serverChannel, clientChannel);
            } catch (Exception failure) {
                // EmbeddedChannel rethrows the failed handshake; the handshake futures have the cause
            }
            clientChannel.runPendingTasks();
            serverChannel.runPendingTasks();
        }
        clientChannel.finishAndReleaseAll();
        serverChannel.finishAndReleaseAll();
        assertThat(client.handshakeFuture().isDone()).as("client handshake ended").isTrue();
        assertThat(server.handshakeFuture().isDone()).as("server handshake ended").isTrue();
        return new Future<?>[]{client.handshakeFuture(), server.handshakeFuture()};
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object message = from.readOutbound(); message != null; message = from.readOutbound()) {
            to.writeInbound((ByteBuf) message);
        }
    }

    @Test
    void onlyVerifyIdentityChecksTheHostName() {
        SslHandler verifyIdentity = client(TlsSettings.of(TlsMode.VERIFY_IDENTITY));
        assertThat(verifyIdentity.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        for (TlsMode mode : new TlsMode[]{TlsMode.PREFERRED, TlsMode.REQUIRED, TlsMode.VERIFY_CA}) {
            assertThat(client(TlsSettings.of(mode)).engine().getSSLParameters().getEndpointIdentificationAlgorithm())
                    .as(mode.toString()).isNullOrEmpty();
        }
    }

    @Test
    void theHandlerIsAClientForTheGivenPeer() {
        SslHandler handler = client(TlsSettings.of(TlsMode.REQUIRED));
        assertThat(handler.engine().getUseClientMode()).isTrue();
        assertThat(handler.engine().getPeerHost()).isEqualTo("db.example");
        assertThat(handler.engine().getPeerPort()).isEqualTo(3306);
    }

    @Test
    void requiredAndPreferredAcceptACertificateNobodyVouchesFor() throws Exception {
        for (TlsMode mode : new TlsMode[]{TlsMode.PREFERRED, TlsMode.REQUIRED}) {
            Future<?> done = handshake(client(TlsSettings.of(mode)), server(false));
            assertThat(done.cause()).as(mode.toString()).isNull();
        }
    }

    @Test
    void verifyCaWithoutATrustStoreUsesTheJdksCasAndRefusesASelfSignedServer() throws Exception {
        Future<?> done = handshake(client(TlsSettings.of(TlsMode.VERIFY_CA)), server(false));
        assertThat(done.cause()).isNotNull();
        assertThat(TlsContexts.isSslException(done.cause())).isTrue();
    }

    @Test
    void verifyCaTrustsTheCertificateOfItsTrustStore() throws Exception {
        Future<?> done = handshake(client(TlsSettings.of(TlsMode.VERIFY_CA).withTrustStore(trustStore, PASSWORD)),
                server(false));
        assertThat(done.cause()).isNull();
    }

    @Test
    void readyTrustManagersTakeThePlaceOfAStore() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        Future<?> done = handshake(client(TlsSettings.of(TlsMode.VERIFY_CA).withManagers(tmf, null)), server(false));
        assertThat(done.cause()).isNull();
    }

    @Test
    void theKeyStoreIsPresentedToAServerThatAsksForAClientCertificate() throws Exception {
        TlsSettings withKey = TlsSettings.of(TlsMode.REQUIRED).withKeyStore(keyStore, PASSWORD);
        Future<?>[] accepted = handshake(client(withKey), server(true).newHandler(ByteBufAllocator.DEFAULT));
        assertThat(accepted[0].cause()).isNull();
        assertThat(accepted[1].cause()).isNull();
        Future<?>[] refused = handshake(client(TlsSettings.of(TlsMode.REQUIRED)),
                server(true).newHandler(ByteBufAllocator.DEFAULT));
        assertThat(refused[1].cause()).as("the server saw no client certificate").isNotNull();
    }

    @Test
    void aStoreThatCannotBeReadIsAnErrorNamingIt() {
        assertThatThrownBy(() -> client(TlsSettings.of(TlsMode.VERIFY_CA)
                .withTrustStore(trustStore, "wrong".toCharArray())))
                .isInstanceOf(MySqlProtocolException.class).hasMessageContaining("Cannot set up TLS")
                .hasMessageContaining(trustStore.toString());
        Path missing = directory.resolve("missing.p12");
        assertThatThrownBy(() -> client(TlsSettings.of(TlsMode.REQUIRED).withKeyStore(missing, PASSWORD)))
                .isInstanceOf(MySqlProtocolException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void sslExceptionsAreFoundAmongTheCauses() {
        assertThat(TlsContexts.isSslException(new IOException("wrapped", new RuntimeException(
                new SSLException("handshake"))))).isTrue();
        assertThat(TlsContexts.isSslException(new IOException("reset"))).isFalse();
        assertThat(TlsContexts.isSslException(null)).isFalse();
    }
}
