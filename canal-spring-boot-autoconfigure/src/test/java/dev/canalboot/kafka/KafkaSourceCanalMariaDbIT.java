package dev.canalboot.kafka;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;

/** The same through a real Canal 1.1.7 server in Kafka MQ mode reading MariaDB 11.4. */
class KafkaSourceCanalMariaDbIT extends KafkaSourceCanalMySqlIT {

    @Override
    EmbeddedDatabase database() {
        return TestServers.mariadb();
    }
}
