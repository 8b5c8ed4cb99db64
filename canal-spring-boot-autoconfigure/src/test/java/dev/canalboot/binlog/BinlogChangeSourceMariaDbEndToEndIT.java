package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/** The end-to-end contract against MariaDB 11.4.5. */
class BinlogChangeSourceMariaDbEndToEndIT extends EndToEndContract {

    @BeforeEach
    void schema() {
        createSchema();
    }

    @Override
    EmbeddedDatabase server() {
        return TestServers.mariadb();
    }

    @Override
    StartPosition gtidStartNow() throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@global.gtid_binlog_pos")) {
            rs.next();
            return new StartPosition.MariaDbGtids(rs.getString(1));
        }
    }

    @Override
    boolean checkpointContains(BinlogCheckpoint checkpoint, String gtid) {
        return List.of(checkpoint.mariaDbGtids().split(",")).contains(gtid);
    }
}
