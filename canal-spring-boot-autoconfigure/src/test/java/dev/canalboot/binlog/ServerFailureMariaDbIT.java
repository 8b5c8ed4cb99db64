package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Server failures against a MariaDB 11.4.5 of this class's own. */
class ServerFailureMariaDbIT extends ServerFailureContract {

    static EmbeddedMariaDb server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedMariaDb.builder().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    EmbeddedDatabase server() {
        return server;
    }
}
