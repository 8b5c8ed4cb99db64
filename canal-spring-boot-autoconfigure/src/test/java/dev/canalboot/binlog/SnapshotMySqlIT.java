package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** {@link SnapshotContract} on MySQL 8.0 with GTIDs on. */
class SnapshotMySqlIT extends SnapshotContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.mysql();
    }

    @Override
    boolean mariadb() {
        return false;
    }
}
