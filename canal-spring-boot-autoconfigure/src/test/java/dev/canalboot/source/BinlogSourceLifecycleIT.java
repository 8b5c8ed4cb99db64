package dev.canalboot.source;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The lifecycle contract for the binlog source on a real MySQL 8.0.31; a failure is a revoked privilege. */
class BinlogSourceLifecycleIT extends ChangeSourceLifecycleContract {

    static final String SCHEMA = "lifecycle_binlog";
    static final String USER = "lifecycle_binlog";
    static final String PASSWORD = "lifecycle-pw";
    static final AtomicLong SERVER_IDS = new AtomicLong(14000);
    static EmbeddedMySql server;

    @BeforeAll
    static void setUp() {
        server = TestServers.mysql();
        server.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".t (id INT PRIMARY KEY)",
                "DROP USER IF EXISTS " + USER + "@'%'",
                "CREATE USER " + USER + "@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO " + USER + "@'%'");
    }

    @Override
    protected ChangeSource newSource(int maxReconnectAttempts) {
        return new BinlogChangeSource(BinlogSourceSettings.builder("lifecycle-binlog", "127.0.0.1", server.port(),
                        USER, PASSWORD)
                .serverId(SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500), maxReconnectAttempts)
                .build());
    }

    @Override
    protected String table() {
        return SCHEMA + ".t";
    }

    @Override
    protected void insert(int id) {
        server.execute("INSERT INTO " + SCHEMA + ".t VALUES (" + id + ")");
    }

    @Override
    protected void breakServer(ChangeSource source) {
        server.execute("REVOKE REPLICATION SLAVE ON *.* FROM " + USER + "@'%'",
                "KILL " + ((BinlogChangeSource) source).connectionId());
    }

    @Override
    protected void repairServer() {
        server.execute("GRANT REPLICATION SLAVE ON *.* TO " + USER + "@'%'");
    }
}
