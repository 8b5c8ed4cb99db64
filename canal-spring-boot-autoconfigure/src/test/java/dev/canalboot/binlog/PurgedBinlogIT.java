package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Purged binlogs on MySQL (the TLS-enabled test server, whose old binlogs no other test reads): a GTID
 * start needing purged transactions is a clear error, and an earliest start begins at the oldest file left.
 */
class PurgedBinlogIT {

    @Test
    void gtidStartNeedingPurgedTransactionsFailsClearlyAndEarliestStartsAtTheOldestFileLeft() throws Exception {
        EmbeddedMySql server = TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withTls(true));
        server.execute("CREATE DATABASE IF NOT EXISTS binlog_conn_purge",
                "CREATE TABLE IF NOT EXISTS binlog_conn_purge.t (id INT PRIMARY KEY)",
                "REPLACE INTO binlog_conn_purge.t VALUES (1)", "FLUSH BINARY LOGS");
        String current;
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            current = rs.getString("File");
        }
        server.execute("PURGE BINARY LOGS TO '" + current + "'");
        DatabaseUser user = server.users().get(0);
        BinlogSourceSettings.Builder settings = BinlogSourceSettings.builder("purge", server.host(), server.port(),
                user.name(), user.password()).tls(TlsSettings.DISABLED).heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10));

        try (BinlogChangeSource fromNothing = new BinlogChangeSource(settings.serverId(8001)
                .start(new StartPosition.MySqlGtids(GtidSet.EMPTY)).build())) {
            Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(fromNothing);
            assertThat(error).isInstanceOf(SourceException.class).hasMessageContaining("no longer on the server")
                    .hasMessageContaining("earliest or latest");
            assertThat(((SourceException) error).isRetryable()).isFalse();
            assertThat(fromNothing.state()).isEqualTo(SourceState.FAILED);
        }

        try (BinlogChangeSource earliest = new BinlogChangeSource(settings.serverId(8002)
                .start(new StartPosition.Earliest()).build())) {
            earliest.start();
            server.execute("REPLACE INTO binlog_conn_purge.t VALUES (2)");
            List<RowChange> rows = BinlogChangeSourceMySqlIT.rows(
                    BinlogChangeSourceMySqlIT.pollUntil(earliest, BinlogChangeSourceMySqlIT.commits(1), true));
            assertThat(rows).extracting(r -> r.row().getInteger("id")).containsExactly(2);
            assertThat(earliest.acknowledgedPosition().file()).isEqualTo(current);
            // the GTIDs before the oldest file (gtid_purged) plus the new one: a complete executed set
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@global.gtid_executed")) {
                rs.next();
                assertThat(GtidSet.parse(earliest.acknowledgedPosition().mysqlGtids())).isEqualTo(GtidSet.parse(rs.getString(1)));
            }
        }
    }
}
