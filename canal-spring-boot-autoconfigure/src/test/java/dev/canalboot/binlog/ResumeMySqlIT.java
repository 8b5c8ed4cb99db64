package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** Resume through checkpoints against MySQL 8.0.31 with GTIDs on. */
class ResumeMySqlIT extends ResumeContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.mysql();
    }
}
