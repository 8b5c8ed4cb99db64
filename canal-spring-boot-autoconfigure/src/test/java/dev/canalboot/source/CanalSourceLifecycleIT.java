package dev.canalboot.source;

import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * The lifecycle contract for the Canal source on a real Canal 1.1.7 server over MySQL 8.0.31; a failure is the
 * Canal server going away (it comes back on the same port, at the position the source had acknowledged).
 */
class CanalSourceLifecycleIT extends ChangeSourceLifecycleContract {

    static final String SCHEMA = "lifecycle_canal";
    static final String PASSWORD = "lifecycle-pw";

    final EmbeddedMySql database = TestServers.mysql();
    EmbeddedCanalServer canal;
    String[] positionAtBreak;

    @BeforeEach
    void startCanal() {
        database.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".t (id INT PRIMARY KEY)");
        canal = canal().start();
    }

    @AfterEach
    void stopCanal() {
        if (canal != null) {
            canal.close();
        }
        database.execute("DROP DATABASE IF EXISTS " + SCHEMA);
    }

    EmbeddedCanalServer.Builder canal() {
        return EmbeddedCanalServer.builder(database).destination(SCHEMA).filter(SCHEMA + "\\..*")
                .credentials("canal", dev.canalboot.canal.CanalPassword.serverHash(PASSWORD));
    }

    @Override
    protected ChangeSource newSource(int maxReconnectAttempts) {
        return new CanalChangeSource(CanalSettings.builder("lifecycle-canal", SCHEMA)
                .address(canal.host() + ":" + canal.port())
                .credentials("canal", PASSWORD)
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .maxReconnectAttempts(maxReconnectAttempts)
                .build());
    }

    @Override
    protected String table() {
        return SCHEMA + ".t";
    }

    @Override
    protected void insert(int id) {
        database.execute("INSERT INTO " + SCHEMA + ".t VALUES (" + id + ")");
    }

    @Override
    protected void breakServer(ChangeSource source) throws Exception {
        positionAtBreak = binlogPosition(); // everything before was acknowledged
        canal.close();
    }

    @Override
    protected void repairServer() {
        // This test server keeps its cursor in memory: it comes back where the source had acknowledged.
        canal = canal().port(canal.port()).binlogPosition(positionAtBreak[0], Long.parseLong(positionAtBreak[1]))
                .start();
    }

    String[] binlogPosition() throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(null), database.rootUser(),
                database.rootPassword());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString(1), rs.getString(2)};
        }
    }
}
