package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** {@link SnapshotContract} on MariaDB 11.4. */
class SnapshotMariaDbIT extends SnapshotContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.mariadb();
    }

    @Override
    boolean mariadb() {
        return true;
    }
}
