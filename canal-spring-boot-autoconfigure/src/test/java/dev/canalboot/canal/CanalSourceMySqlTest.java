package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** The Canal source contract on MySQL 8.0.31 behind a real Canal 1.1.7 server. */
class CanalSourceMySqlTest extends CanalSourceContractTest {

    @Override
    EmbeddedDatabase database() {
        return TestServers.mysql();
    }
}
