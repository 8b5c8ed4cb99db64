package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/**
 * {@link SnapshotContract} on the newest MySQL to be had (8.4 or later, GTIDs on): binlog positions come from
 * {@code SHOW BINARY LOG STATUS} there.
 */
class SnapshotNewestMySqlIT extends SnapshotContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.newestMySql();
    }

    @Override
    boolean mariadb() {
        return false;
    }
}
