package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMySql;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Server failures against a MySQL 8.0.31 (GTIDs on) of this class's own. */
class ServerFailureMySqlIT extends ServerFailureContract {

    static EmbeddedMySql server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedMySql.builder().gtid(true).start();
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
