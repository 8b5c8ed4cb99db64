package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** The Canal source contract on MariaDB 11.4.5 behind a real Canal 1.1.7 server. */
class CanalSourceMariaDbTest extends CanalSourceContractTest {

    @Override
    EmbeddedDatabase database() {
        return TestServers.mariadb();
    }
}
