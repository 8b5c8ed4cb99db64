package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** Resume through checkpoints against MariaDB 11.4.5 (GTID positions always on). */
class ResumeMariaDbIT extends ResumeContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.mariadb();
    }
}
