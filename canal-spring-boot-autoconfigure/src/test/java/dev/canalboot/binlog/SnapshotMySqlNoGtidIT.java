package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/**
 * {@link SnapshotContract} on MySQL 8.0 with GTIDs off: watermarks are binlog files and positions only (README,
 * Snapshots, for the gap this leaves).
 */
class SnapshotMySqlNoGtidIT extends SnapshotContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withGtid(false));
    }

    @Override
    boolean mariadb() {
        return false;
    }
}
