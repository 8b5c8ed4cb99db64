package dev.canalboot.embedded;

import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class EmbeddedMariaDbIT {

    @Test
    void startsWithRowBinlogAndAcceptsTheReplicationUser() throws SQLException {
        EmbeddedMariaDb mariadb = TestServers.mariadb();
        DatabaseUser user = mariadb.nativePasswordUser();

        try (Connection connection = DriverManager.getConnection(mariadb.jdbcUrl(null), user.name(), user.password());
             Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT VERSION()")).startsWith(EmbeddedMariaDb.VERSION + "-MariaDB");
            assertThat(single(statement, "SELECT CURRENT_USER()")).isEqualTo(user.name() + "@%");
            assertThat(single(statement, "SELECT plugin FROM mysql.user WHERE user = '" + user.name() + "'"))
                    .isEqualTo("mysql_native_password");
            assertThat(single(statement, "SELECT @@log_bin")).isEqualTo("1");
            assertThat(single(statement, "SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(single(statement, "SELECT @@binlog_row_metadata")).isEqualTo("FULL");
            assertThat(single(statement, "SELECT @@binlog_annotate_row_events")).isEqualTo("1");
            assertThat(single(statement, "SELECT @@server_id")).isEqualTo(String.valueOf(mariadb.serverId()));
            assertThat(single(statement, "SHOW MASTER STATUS")).startsWith("binlog.");

            statement.execute("CREATE DATABASE IF NOT EXISTS embedded_mariadb_test");
            statement.execute("CREATE TABLE embedded_mariadb_test.t (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO embedded_mariadb_test.t VALUES (7)");
            // MariaDB always assigns GTIDs
            assertThat(single(statement, "SELECT @@gtid_binlog_pos")).matches("0-" + mariadb.serverId() + "-\\d+");
        }
        mariadb.execute("DROP DATABASE embedded_mariadb_test");
    }

    @Test
    void optionsReachTheServerAndStopDeletesEverything() throws SQLException {
        Path directory;
        try (EmbeddedMariaDb mariadb = EmbeddedMariaDb.builder().serverId(7).rowMetadata(RowMetadata.MINIMAL)
                .annotateRowEvents(false).semiSync(true).initSql("CREATE DATABASE IF NOT EXISTS from_init_file")
                .start()) {
            directory = mariadb.dataDirectory().getParent();
            try (Connection connection = DriverManager.getConnection(mariadb.jdbcUrl("from_init_file"),
                    mariadb.rootUser(), mariadb.rootPassword());
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT @@binlog_row_metadata")).isEqualTo("MINIMAL");
                assertThat(single(statement, "SELECT @@binlog_annotate_row_events")).isEqualTo("0");
                assertThat(single(statement, "SELECT @@rpl_semi_sync_master_enabled")).isEqualTo("1");
                assertThat(single(statement, "SELECT DATABASE()")).isEqualTo("from_init_file");
            }
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void startFailureSaysWhatHappenedWithTheLogTail() throws Exception {
        Throwable failure = catchThrowable(() -> EmbeddedMariaDb.builder().serverOption("--bogus-option=1").start());

        assertThat(failure).isInstanceOf(EmbeddedDatabaseException.class)
                .hasMessageContaining("MariaDB")
                .hasMessageContaining("unknown variable 'bogus-option=1'");
        StartFailures.assertOnlyTheLogIsKeptAndCleanUp(failure);
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from %s", sql).isTrue();
            return result.getString(1);
        }
    }
}
