package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The end-to-end contract against MySQL 8.0.31 (GTIDs on, full row metadata). */
class BinlogChangeSourceMySqlEndToEndIT extends EndToEndContract {

    @BeforeEach
    void schema() {
        createSchema();
    }

    @Override
    EmbeddedDatabase server() {
        return TestServers.mysql();
    }

    @Override
    StartPosition gtidStartNow() throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@global.gtid_executed")) {
            rs.next();
            return new StartPosition.MySqlGtids(GtidSet.parse(rs.getString(1)));
        }
    }

    @Override
    boolean checkpointContains(BinlogCheckpoint checkpoint, String gtid) {
        return GtidSet.parse(checkpoint.mysqlGtids()).contains(gtid);
    }
}
