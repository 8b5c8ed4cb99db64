package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.EmbeddedDatabaseException;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.embedded.Ed25519ServerPlugin;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.TrustStores;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * client_ed25519 against a real MariaDB, with and without TLS: the embedded 11.4.5 with Debian's auth_ed25519
 * server plugin loaded. Skipped only where the plugin cannot be had and {@value Ed25519ServerPlugin#REQUIRED_ENV}
 * is unset.
 */
class MariaDbEd25519AuthIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String USER = "cdc_ed25519";
    static final String PASSWORD = "ed25519-pw \u00e9";
    static EventLoopGroup group;
    static EmbeddedMariaDb server;

    /** Why the plugin could not be had, or null. */
    static String unavailable;

    @BeforeAll
    static void setUp() {
        String[] pluginOptions;
        try {
            pluginOptions = Ed25519ServerPlugin.serverOptions();
        } catch (EmbeddedDatabaseException e) {
            if (Ed25519ServerPlugin.required()) {
                throw e;
            }
            unavailable = "MariaDB's auth_ed25519 server plugin could not be obtained (set "
                    + Ed25519ServerPlugin.REQUIRED_ENV + " to fail instead): " + e.getMessage();
            return;
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // TLS on so one server serves logins with and without it (the certificate generated at start costs seconds)
        server = EmbeddedMariaDb.builder().tls(true).serverOption(pluginOptions).start();
        server.execute("CREATE USER " + USER + "@'%' IDENTIFIED VIA ed25519 USING PASSWORD('" + PASSWORD + "')",
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + USER + "@'%'",
                "CREATE DATABASE ed25519_auth",
                "CREATE TABLE ed25519_auth.orders (id INT PRIMARY KEY, item VARCHAR(50))");
    }

    @BeforeEach
    void requirePlugin() {
        // Per test rather than in @BeforeAll, so each skip is reported with its reason
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            server.stop();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    static ConnectionSettings login(String password, TlsMode tls) {
        return ConnectionSettings.of(server.host(), server.port(), USER, password).withTls(TlsSettings.of(tls));
    }

    @ParameterizedTest
    @EnumSource(value = TlsMode.class, names = {"DISABLED", "REQUIRED"})
    void ed25519UserLogsIn(TlsMode tls) {
        try (MySqlConnection c = MySqlConnection.open(group, login(PASSWORD, tls))) {
            ServerInfo info = c.server();
            assertThat(info.mariaDb()).isTrue();
            assertThat(info.authPlugin()).isEqualTo(AuthPlugins.ED25519);
            assertThat(info.tls()).isEqualTo(tls == TlsMode.REQUIRED);
            // The server's view: the session is encrypted exactly when TLS was asked for
            String cipher = c.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'", TIMEOUT).get(0, "Value");
            assertThat(cipher).as("Ssl_cipher of the session").matches(tls == TlsMode.REQUIRED ? ".+" : "");
            assertThat(c.execute("SELECT CURRENT_USER() AS u", TIMEOUT).first("u")).isEqualTo(USER + "@%");
            // The account really is an ed25519 one, so the login above went through client_ed25519
            String createUser = c.execute("SHOW CREATE USER " + USER, TIMEOUT).rows().get(0).get(0);
            assertThat(createUser).contains("IDENTIFIED VIA ed25519");
        }
    }

    /**
     * Every login signs a fresh random 32-byte nonce, and one nonce in 256 ends in a zero byte: an early
     * version took that byte for a terminator and was refused now and then. 400 logins meet such a nonce with
     * a probability of 79 %; the deterministic check is in AuthPluginsTest.
     */
    @Test
    void everyNonceIsSignedWhole() {
        for (int i = 0; i < 400; i++) {
            try (MySqlConnection c = MySqlConnection.open(group, login(PASSWORD, TlsMode.DISABLED))) {
                assertThat(c.server().authPlugin()).as("login %d", i).isEqualTo(AuthPlugins.ED25519);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsMode.class, names = {"DISABLED", "REQUIRED"})
    void wrongPasswordNamesLoginAndServerMessage(TlsMode tls) {
        assertThatThrownBy(() -> MySqlConnection.open(group, login("not-" + PASSWORD, tls)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("Authentication of " + USER + "@" + server.host() + ":" + server.port() + " failed")
                .hasMessageContaining("Access denied");
    }

    @Test
    void verifyCaLogsInWithTheServerCaAndRefusesWithoutIt() throws Exception {
        ConnectionSettings verified = login(PASSWORD, TlsMode.VERIFY_CA).withTls(TlsSettings.of(TlsMode.VERIFY_CA)
                .withTrustStore(TrustStores.fromPem(server.caCertificate()), TrustStores.PASSWORD));
        try (MySqlConnection c = MySqlConnection.open(group, verified)) {
            assertThat(c.server().authPlugin()).isEqualTo(AuthPlugins.ED25519);
            assertThat(c.server().tls()).isTrue();
            assertThat(c.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'", TIMEOUT).get(0, "Value")).isNotEmpty();
        }
        // The JDK's trust store does not know the server's CA: the TLS handshake fails, before any login
        assertThatThrownBy(() -> MySqlConnection.open(group, login(PASSWORD, TlsMode.VERIFY_CA)))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("TLS handshake with " + server.host() + ":" + server.port() + " failed (VERIFY_CA)");
    }

    @ParameterizedTest
    @EnumSource(value = TlsMode.class, names = {"DISABLED", "REQUIRED"})
    void binlogSourceLoggedInWithEd25519ReceivesAnInsertedRow(TlsMode tls) throws Exception {
        int id = tls.ordinal() + 1;
        String file;
        long position;
        try (MySqlConnection c = MySqlConnection.open(group, login(PASSWORD, tls))) {
            ResultSet status = c.execute("SHOW MASTER STATUS", TIMEOUT);
            file = status.first("File");
            position = Long.parseLong(status.first("Position"));
        }
        server.execute("INSERT INTO ed25519_auth.orders VALUES (" + id + ", 'via ed25519 " + tls + "')");
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("ed25519", server.host(),
                        server.port(), USER, PASSWORD)
                .serverId(4242 + id)
                .tls(TlsSettings.of(tls))
                .start(new StartPosition.FilePosition(file, position))
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 3)
                .build());
        try {
            source.start();
            List<RowChange> rows = new ArrayList<>();
            long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rows.isEmpty()) {
                if (System.nanoTime() > guard) {
                    throw new AssertionError("No row change arrived; source state " + source.state());
                }
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch != null) {
                    for (ChangeEvent event : batch.events()) {
                        if (event instanceof RowChange row) {
                            rows.add(row);
                        }
                    }
                    source.ack(batch);
                }
            }
            RowChange insert = rows.get(0);
            assertThat(insert.type()).isEqualTo(ChangeType.INSERT);
            assertThat(insert.qualifiedTable()).isEqualTo("ed25519_auth.orders");
            assertThat(insert.after().getInteger("id")).isEqualTo(id);
            assertThat(insert.after().getString("item")).isEqualTo("via ed25519 " + tls);
        } finally {
            source.close();
        }
    }
}
