package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.TestServers;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.TrustStores;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login with each auth plugin, with and without TLS, and queries, against a real MySQL 8.0.31. */
class MySqlConnectionIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static EventLoopGroup group;
    static EmbeddedMySql server;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withTls(true));
        server.execute("CREATE USER IF NOT EXISTS native_user@'%' IDENTIFIED WITH mysql_native_password BY 'native-pw'",
                "CREATE USER IF NOT EXISTS sha2_user@'%' IDENTIFIED WITH caching_sha2_password BY 'sha2-pw'");
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private ConnectionSettings login(String user, String password, TlsMode tls) {
        return ConnectionSettings.of("127.0.0.1", server.port(), user, password).withTls(TlsSettings.of(tls));
    }

    private ServerInfo loginAndQuery(ConnectionSettings settings) {
        try (MySqlConnection c = MySqlConnection.open(group, settings)) {
            ResultSet rs = c.execute("SELECT CURRENT_USER() AS who, @@version AS v, 1 + 1 AS two, NULL AS nothing", TIMEOUT);
            assertThat(rs.columns()).containsExactly("who", "v", "two", "nothing");
            assertThat(rs.first("who")).startsWith(settings.user() + "@");
            assertThat(rs.first("two")).isEqualTo("2");
            assertThat(rs.first("nothing")).isNull();
            String cipher = c.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'", TIMEOUT).get(0, "Value");
            assertThat(!cipher.isEmpty()).as("TLS cipher in use").isEqualTo(c.server().tls());
            return c.server();
        }
    }

    @Test
    void nativePasswordWithoutTls() {
        ServerInfo info = loginAndQuery(login("native_user", "native-pw", TlsMode.DISABLED));
        assertThat(info.tls()).isFalse();
        assertThat(info.authPlugin()).isEqualTo(AuthPlugins.NATIVE);
        assertThat(info.mariaDb()).isFalse();
        assertThat(info.versionNumber()).isEqualTo(80031);
    }

    @Test
    void nativePasswordOverTls() {
        ServerInfo info = loginAndQuery(login("native_user", "native-pw", TlsMode.REQUIRED));
        assertThat(info.tls()).isTrue();
        assertThat(info.authPlugin()).isEqualTo(AuthPlugins.NATIVE);
    }

    @Test
    void cachingSha2FullWithRsaKeyThenFastPath() {
        server.execute("FLUSH PRIVILEGES"); // empties the caching_sha2 cache: the next login is a full one
        ServerInfo full = loginAndQuery(login("sha2_user", "sha2-pw", TlsMode.DISABLED));
        assertThat(full.authPlugin()).isEqualTo(AuthPlugins.CACHING_SHA2);
        assertThat(full.fullAuthentication()).isTrue();
        assertThat(full.tls()).isFalse();
        ServerInfo fast = loginAndQuery(login("sha2_user", "sha2-pw", TlsMode.DISABLED));
        assertThat(fast.fullAuthentication()).isFalse();
    }

    @Test
    void cachingSha2FullOverTlsThenFastPathOverTls() {
        server.execute("FLUSH PRIVILEGES");
        ServerInfo full = loginAndQuery(login("sha2_user", "sha2-pw", TlsMode.REQUIRED));
        assertThat(full.fullAuthentication()).isTrue();
        assertThat(full.tls()).isTrue();
        ServerInfo fast = loginAndQuery(login("sha2_user", "sha2-pw", TlsMode.PREFERRED));
        assertThat(fast.fullAuthentication()).isFalse();
        assertThat(fast.tls()).isTrue();
    }

    @Test
    void authSwitchFromCachingSha2ToNative() {
        // The server's default plugin is caching_sha2_password; this user's is native: the server switches.
        ServerInfo info = loginAndQuery(login("native_user", "native-pw", TlsMode.DISABLED));
        assertThat(info.authPlugin()).isEqualTo(AuthPlugins.NATIVE);
    }

    @Test
    void wrongPasswordIsANonRetryableErrorNamingLoginAndServerMessage() {
        for (String user : new String[]{"native_user", "sha2_user"}) {
            assertThatThrownBy(() -> MySqlConnection.open(group, login(user, "wrong", TlsMode.DISABLED)))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining(user + "@127.0.0.1:" + server.port())
                    .hasMessageContaining("Access denied")
                    .satisfies(e -> assertThat(((SourceException) e).isRetryable()).isFalse());
        }
    }

    @Test
    void verifyCaRejectsAServerCertificateNotSignedByTheTrustStore() {
        // The JDK's trust store does not know the server's auto-generated CA.
        assertThatThrownBy(() -> MySqlConnection.open(group, login("native_user", "native-pw", TlsMode.VERIFY_CA)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + server.port() + " failed (VERIFY_CA)");
    }

    @Test
    void verifyCaAcceptsTheServerCaFromATrustStore() throws Exception {
        java.nio.file.Path store = TrustStores.fromPem(server.caCertificate());
        ConnectionSettings settings = ConnectionSettings.of("127.0.0.1", server.port(), "native_user", "native-pw")
                .withTls(TlsSettings.of(TlsMode.VERIFY_CA).withTrustStore(store, TrustStores.PASSWORD));
        assertThat(loginAndQuery(settings).tls()).isTrue();
        // The auto-generated certificate does not name 127.0.0.1: identity verification must refuse it.
        ConnectionSettings identity = settings.withTls(TlsSettings.of(TlsMode.VERIFY_IDENTITY)
                .withTrustStore(store, TrustStores.PASSWORD));
        assertThatThrownBy(() -> MySqlConnection.open(group, identity))
                .hasMessageContaining("failed (VERIFY_IDENTITY)");
    }

    @Test
    void queriesAndResultsOf16MiBAndMoreTravelInSplitPackets() {
        int size = 17 * 1024 * 1024;
        StringBuilder literal = new StringBuilder(size + 64).append("SELECT LENGTH('");
        for (int i = 0; i < size; i++) {
            literal.append((char) ('a' + i % 26));
        }
        literal.append("') AS n, REPEAT('xy', ").append(size / 2 + 1).append(") AS big");
        for (TlsMode tls : new TlsMode[]{TlsMode.DISABLED, TlsMode.REQUIRED}) {
            try (MySqlConnection c = MySqlConnection.open(group, login("native_user", "native-pw", tls))) {
                ResultSet rs = c.execute(literal.toString(), TIMEOUT);
                assertThat(rs.first("n")).isEqualTo(String.valueOf(size));
                String big = rs.first("big");
                assertThat(big).hasSize(size + 2);
                assertThat(big).startsWith("xyxy").endsWith("xy");
                // the connection stays usable: sequence ids were right across the split packets
                assertThat(c.execute("SELECT 42 AS answer", TIMEOUT).first("answer")).isEqualTo("42");
            }
        }
    }

    @Test
    void aFailingQueryNamesTheStatementServerAndError() {
        try (MySqlConnection c = MySqlConnection.open(group, login("native_user", "native-pw", TlsMode.DISABLED))) {
            assertThatThrownBy(() -> c.execute("SELECT * FROM no_such_schema.no_such_table", TIMEOUT))
                    .isInstanceOf(MySqlServerException.class)
                    .hasMessageContaining("no_such_schema.no_such_table")
                    .hasMessageContaining("127.0.0.1:" + server.port())
                    .hasMessageMatching("(?s).*ERROR \\d{4} \\(\\w{5}\\): .+");
            assertThat(c.execute("SELECT 1 AS one", TIMEOUT).first("one")).isEqualTo("1");
        }
    }
}
