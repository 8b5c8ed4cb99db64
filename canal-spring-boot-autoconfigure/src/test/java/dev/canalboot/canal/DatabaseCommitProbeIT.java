package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stall check's commit marker, compared with what each server kind says of itself over JDBC: MySQL's executed
 * GTID set, its binlog file and position without GTIDs (SHOW MASTER STATUS before 8.4, SHOW BINARY LOG STATUS from
 * 8.4 on), MariaDB's {@code gtid_binlog_pos}. The shared test servers, each in a schema of this class.
 */
class DatabaseCommitProbeIT {

    private static final String SCHEMA = "commit_probe";

    private static DatabaseCommitProbe probe(EmbeddedDatabase db) {
        return new DatabaseCommitProbe("probe", ConnectionSettings.of(db.host(), db.port(), db.rootUser(),
                db.rootPassword()), Duration.ofSeconds(30));
    }

    private static void table(EmbeddedDatabase db) {
        db.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP TABLE IF EXISTS " + SCHEMA + ".m",
                "CREATE TABLE " + SCHEMA + ".m (id INT PRIMARY KEY)");
    }

    private static String query(EmbeddedDatabase db, String sql, String... columns) throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            StringBuilder text = new StringBuilder();
            for (String column : columns) {
                text.append(text.isEmpty() ? "" : ":").append(rows.getString(column));
            }
            return text.toString();
        }
    }

    /** The marker equals the server's own answer, stays without a commit, moves with one and then equals it again. */
    private static void markerFollowsCommits(EmbeddedDatabase db, String sql, String... columns) throws Exception {
        table(db);
        try (DatabaseCommitProbe probe = probe(db)) {
            String before = probe.commitMarker();
            assertThat(before).isEqualTo(query(db, sql, columns));
            assertThat(probe.commitMarker()).as("no commit in between").isEqualTo(before);

            db.execute("INSERT INTO " + SCHEMA + ".m VALUES (1)");

            String after = probe.commitMarker();
            assertThat(after).as("after a commit").isNotEqualTo(before).isEqualTo(query(db, sql, columns));
        }
    }

    @Test
    void mySqlWithGtidsGivesTheExecutedGtidSet() throws Exception {
        markerFollowsCommits(TestServers.mysql(), "SELECT @@global.gtid_executed AS g", "g");
    }

    @Test
    void mySqlWithoutGtidsGivesTheBinlogFileAndPosition() throws Exception {
        EmbeddedDatabase db = TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withGtid(false));
        markerFollowsCommits(db, "SHOW MASTER STATUS", "File", "Position");
    }

    @Test
    void mySql84AsksShowBinaryLogStatus() throws Exception {
        // SHOW MASTER STATUS is gone from 8.4 on: the probe must ask the new statement there.
        markerFollowsCommits(TestServers.newestMySql(), "SHOW BINARY LOG STATUS", "Executed_Gtid_Set");
    }

    @Test
    void mariaDbGivesItsGtidBinlogPosition() throws Exception {
        markerFollowsCommits(TestServers.mariadb(), "SELECT @@global.gtid_binlog_pos AS p", "p");
    }

    @Test
    void aClosedProbeOpensANewConnectionWhenAskedAgain() throws Exception {
        EmbeddedDatabase db = TestServers.mysql();
        table(db); // a commit: an empty GTID set (a fresh server) gives the binlog position instead
        try (DatabaseCommitProbe probe = probe(db)) {
            assertThat(probe.login()).isEqualTo(db.rootUser() + "@" + db.host() + ":" + db.port());
            String first = probe.commitMarker();
            probe.close();
            probe.close(); // twice is harmless
            assertThat(probe.commitMarker()).isEqualTo(first).isEqualTo(query(db,
                    "SELECT @@global.gtid_executed AS g", "g"));
        }
    }
}
