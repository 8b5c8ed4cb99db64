package dev.canalboot.embedded;

import dev.canalboot.testsupport.TestServers;
import dev.canalboot.testsupport.TestServers.MySqlConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class EmbeddedMySqlIT {

    static Stream<MySqlConfig> configurations() {
        return Stream.of(
                MySqlConfig.DEFAULT,
                MySqlConfig.DEFAULT.withGtid(false).withRowMetadata(RowMetadata.MINIMAL),
                MySqlConfig.DEFAULT.withTransactionCompression(true));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void startsWithRequestedBinlogSettingsAndAcceptsBothUsers(MySqlConfig config) throws SQLException {
        EmbeddedMySql mysql = TestServers.mysql(config);

        assertThat(mysql.isRunning()).isTrue();
        assertThat(mysql.gtid()).isEqualTo(config.gtid());
        for (DatabaseUser user : mysql.users()) {
            try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(null), user.name(), user.password());
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT CURRENT_USER()")).isEqualTo(user.name() + "@%");
                assertThat(single(statement, "SELECT plugin FROM mysql.user WHERE user = '" + user.name() + "'"))
                        .isEqualTo(user.authPlugin());
                assertThat(single(statement, "SELECT @@log_bin")).isEqualTo("1");
                assertThat(single(statement, "SELECT @@binlog_format")).isEqualTo("ROW");
                assertThat(single(statement, "SELECT @@server_id")).isEqualTo(String.valueOf(mysql.serverId()));
                assertThat(single(statement, "SELECT @@gtid_mode")).isEqualTo(config.gtid() ? "ON" : "OFF");
                assertThat(single(statement, "SELECT @@binlog_row_metadata")).isEqualTo(config.rowMetadata().name());
                assertThat(single(statement, "SELECT @@binlog_transaction_compression"))
                        .isEqualTo(config.transactionCompression() ? "1" : "0");
                assertThat(single(statement, "SHOW MASTER STATUS")).startsWith("binlog.");
            }
        }
        assertThat(mysql.cachingSha2User().authPlugin()).isEqualTo("caching_sha2_password");
        assertThat(mysql.nativePasswordUser().authPlugin()).isEqualTo("mysql_native_password");
    }

    @Test
    void eachServerRunsTheVersionItsDistributionNames() throws SQLException {
        EmbeddedMySql bundled = TestServers.mysql();
        EmbeddedMySql newest = TestServers.newestMySql();
        assertThat(bundled.distribution()).isSameAs(MySqlDistribution.bundled());
        assertThat(bundled.version()).isEqualTo(EmbeddedMySql.VERSION).isEqualTo(bundled.distribution().version());
        assertThat(newest.version()).isEqualTo(newest.distribution().version());
        for (EmbeddedMySql mysql : List.of(bundled, newest)) {
            try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(null), mysql.rootUser(), mysql.rootPassword());
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT VERSION()")).startsWith(mysql.version());
            }
        }
        assertThat(newest.toString()).startsWith("MySQL " + newest.version() + " at 127.0.0.1:");
    }

    @Test
    void aDirectoryWithoutDebianPackagesIsRejectedNamingWhatIsMissing(@TempDir Path empty) {
        assertThatThrownBy(() -> MySqlDistribution.debianPackages(empty).version())
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("usr/sbin/mysqld is missing");
    }

    @Test
    void replicationUsersCanCreateSchemasAndTables() throws SQLException {
        EmbeddedMySql mysql = TestServers.mysql();
        DatabaseUser user = mysql.nativePasswordUser();
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(null), user.name(), user.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS embedded_mysql_test");
            statement.execute("CREATE TABLE embedded_mysql_test.t (id INT PRIMARY KEY, name VARCHAR(20))");
            statement.execute("INSERT INTO embedded_mysql_test.t VALUES (1, 'one')");
            assertThat(single(statement, "SELECT name FROM embedded_mysql_test.t WHERE id = 1")).isEqualTo("one");
        }
        mysql.execute("DROP DATABASE embedded_mysql_test");
    }

    @Test
    void tlsServerOffersEncryptedConnectionsSignedByItsCa() throws Exception {
        EmbeddedMySql mysql = TestServers.mysql(MySqlConfig.DEFAULT.withTls(true));
        DatabaseUser user = mysql.cachingSha2User();
        try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(null) + "&sslMode=REQUIRED",
                user.name(), user.password());
             Statement statement = connection.createStatement();
             ResultSet cipher = statement.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            assertThat(cipher.next()).isTrue();
            assertThat(cipher.getString(2)).isNotBlank();
        }
        Path ca = mysql.caCertificate();
        Path serverCert = mysql.dataDirectory().resolve("server-cert.pem");
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate caCert;
        X509Certificate server;
        try (InputStream caIn = Files.newInputStream(ca); InputStream serverIn = Files.newInputStream(serverCert)) {
            caCert = (X509Certificate) factory.generateCertificate(caIn);
            server = (X509Certificate) factory.generateCertificate(serverIn);
        }
        server.verify(caCert.getPublicKey());
    }

    @Test
    void serverWithoutTlsRefusesTlsConnections() {
        EmbeddedMySql mysql = TestServers.mysql();
        DatabaseUser user = mysql.nativePasswordUser();
        assertThatThrownBy(() -> DriverManager.getConnection(mysql.jdbcUrl(null) + "&sslMode=REQUIRED",
                user.name(), user.password()).close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(mysql::caCertificate).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void initSqlRunsAtStartAndStopDeletesEverything() {
        Path directory;
        try (EmbeddedMySql mysql = EmbeddedMySql.builder().serverId(42)
                .initSql("CREATE DATABASE IF NOT EXISTS from_init_file").start()) {
            directory = mysql.dataDirectory().getParent();
            mysql.execute("CREATE TABLE from_init_file.t (id INT PRIMARY KEY)");
            assertThat(mysql.logFile()).exists();
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void restartKeepsPortAndDataAndStartsANewBinlogFile() throws SQLException {
        try (EmbeddedMySql mysql = EmbeddedMySql.builder().gtid(true).start()) {
            int port = mysql.port();
            mysql.execute("CREATE DATABASE restart_test", "CREATE TABLE restart_test.t (id INT PRIMARY KEY)",
                    "INSERT INTO restart_test.t VALUES (1)");
            String binlogBefore = masterStatusFile(mysql);

            mysql.restart();

            assertThat(mysql.port()).isEqualTo(port);
            assertThat(mysql.isRunning()).isTrue();
            DatabaseUser user = mysql.cachingSha2User();
            try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(null), user.name(), user.password());
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT COUNT(*) FROM restart_test.t")).isEqualTo("1");
            }
            assertThat(masterStatusFile(mysql)).isNotEqualTo(binlogBefore).startsWith("binlog.");
        }
    }

    private static String masterStatusFile(EmbeddedDatabase database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(null), database.rootUser(),
                database.rootPassword());
             Statement statement = connection.createStatement()) {
            return single(statement, "SHOW MASTER STATUS");
        }
    }

    @Test
    void startFailureSaysWhatHappenedWithTheLogTail() throws Exception {
        Throwable failure = catchThrowable(() -> EmbeddedMySql.builder().serverOption("--bogus-option=1").start());

        assertThat(failure).isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("unknown variable 'bogus-option=1'");
        StartFailures.assertOnlyTheLogIsKeptAndCleanUp(failure);
    }

    @Test
    void executeNamesTheRejectedStatement() {
        EmbeddedMySql mysql = TestServers.mysql();
        assertThatThrownBy(() -> mysql.execute("SELECT * FROM no_such_schema.no_such_table"))
                .isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("no_such_schema.no_such_table")
                .hasMessageContaining(mysql.toString());
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from %s", sql).isTrue();
            return result.getString(1);
        }
    }
}
