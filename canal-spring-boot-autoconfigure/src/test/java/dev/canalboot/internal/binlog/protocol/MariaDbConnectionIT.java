package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.TrustStores;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login to a real MariaDB 11.4.5 (TLS on), detection of MariaDB and its extended capabilities. */
class MariaDbConnectionIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static EventLoopGroup group;
    static EmbeddedMariaDb server;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = EmbeddedMariaDb.builder().tls(true).start();
    }

    @AfterAll
    static void tearDown() {
        server.stop();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    ConnectionSettings login(String password, TlsMode tls) {
        DatabaseUser user = server.nativePasswordUser();
        return ConnectionSettings.of(server.host(), server.port(), user.name(), password).withTls(TlsSettings.of(tls));
    }

    @Test
    void nativePasswordWithAndWithoutTls() {
        for (TlsMode tls : new TlsMode[]{TlsMode.DISABLED, TlsMode.REQUIRED}) {
            try (MySqlConnection c = MySqlConnection.open(group, login(server.nativePasswordUser().password(), tls))) {
                ServerInfo info = c.server();
                assertThat(info.mariaDb()).isTrue();
                assertThat(info.versionNumber()).isEqualTo(110405);
                assertThat(info.tls()).isEqualTo(tls == TlsMode.REQUIRED);
                // MariaDB clears CLIENT_MYSQL and announces extended capabilities in the handshake
                assertThat(info.capabilities() >>> 32).isNotZero();
                assertThat(Capabilities.has(info.capabilities(), Capabilities.CLIENT_MYSQL)).isFalse();
                String cipher = c.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'", TIMEOUT).get(0, "Value");
                assertThat(!cipher.isEmpty()).isEqualTo(tls == TlsMode.REQUIRED);
                assertThat(c.execute("SELECT @@version AS v", TIMEOUT).first("v")).contains("MariaDB");
            }
        }
    }

    @Test
    void verifyCaAcceptsTheServerCaFromATrustStoreAndVerifyIdentityRefusesIt() throws Exception {
        DatabaseUser user = server.nativePasswordUser();
        java.nio.file.Path store = TrustStores.fromPem(server.caCertificate());
        ConnectionSettings verified = login(user.password(), TlsMode.VERIFY_CA)
                .withTls(TlsSettings.of(TlsMode.VERIFY_CA).withTrustStore(store, TrustStores.PASSWORD));
        try (MySqlConnection c = MySqlConnection.open(group, verified)) {
            assertThat(c.server().tls()).isTrue();
            assertThat(c.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'", TIMEOUT).get(0, "Value")).isNotEmpty();
        }
        // The certificate does not name 127.0.0.1
        ConnectionSettings identity = verified.withTls(TlsSettings.of(TlsMode.VERIFY_IDENTITY)
                .withTrustStore(store, TrustStores.PASSWORD));
        assertThatThrownBy(() -> MySqlConnection.open(group, identity))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("failed (VERIFY_IDENTITY)");
    }

    @Test
    void wrongPasswordNamesLoginAndServerMessage() {
        assertThatThrownBy(() -> MySqlConnection.open(group, login("wrong", TlsMode.DISABLED)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining(server.nativePasswordUser().name() + "@" + server.host() + ":" + server.port())
                .hasMessageContaining("Access denied");
    }

    @Test
    void ed25519CannotBeLoadedFromTheBundledServer() {
        // The bundled MariaDB has no plugin directory; MariaDbEd25519AuthIT loads Debian's plugin into it.
        assertThatThrownBy(() -> server.execute("INSTALL SONAME 'auth_ed25519'"))
                .hasMessageContaining("auth_ed25519");
    }
}
