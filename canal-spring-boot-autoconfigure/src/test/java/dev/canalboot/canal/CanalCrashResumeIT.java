package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.CanalCrashConsumerMain;
import dev.canalboot.testsupport.CrashLoop;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The crash test for the Canal source: consumer JVMs ({@link CanalCrashConsumerMain}) reading from an embedded
 * Canal 1.1.7 server are killed with SIGKILL at random points and started again; the Canal server's cursor (moved
 * only by acks) makes every committed row arrive at least once. See {@link CrashLoop} for sizes.
 */
class CanalCrashResumeIT {

    static final String SCHEMA = "canal_crash";
    static final String PASSWORD = "s3cret";

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    void everyCommittedRowArrivesAtLeastOnceAcrossKills(String product) throws Exception {
        EmbeddedDatabase server = product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        String table = SCHEMA + "." + SCHEMA + "_" + product;
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, payload VARCHAR(64))");
        String[] start = binlogEnd(server);
        try (EmbeddedCanalServer canal = EmbeddedCanalServer.builder(server).destination(SCHEMA + "_" + product)
                .filter(SCHEMA + "\\..*").credentials("canal", CanalPassword.serverHash(PASSWORD))
                .binlogPosition(start[0], Long.parseLong(start[1])).start()) {
            Path log = Files.createFile(work.resolve("delivered.log"));
            CrashLoop.Outcome outcome = CrashLoop.run(server, table, work, log, output -> CrashLoop.java(output,
                    CanalCrashConsumerMain.class, canal.host() + ":" + canal.port(), canal.destination(), "canal",
                    PASSWORD, log.toString(), table));
            System.out.println(product + " Canal crash test: " + outcome);
        }
    }

    private static String[] binlogEnd(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }
}
