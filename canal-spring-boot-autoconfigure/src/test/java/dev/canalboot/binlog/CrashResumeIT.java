package dev.canalboot.binlog;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.CrashConsumerMain;
import dev.canalboot.testsupport.CrashLoop;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kills the consuming JVM (binlog source + file checkpoint store, {@link CrashConsumerMain}) with SIGKILL at random
 * points while a writer commits, and starts it again each time: every committed row is delivered at least once, no
 * transaction partially, and every restart resumes at a transaction end. See {@link CrashLoop} for sizes.
 */
class CrashResumeIT {

    static final String SCHEMA = "crash_resume";
    static final AtomicLong SERVER_IDS = new AtomicLong(9000);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    void everyCommittedRowArrivesAtLeastOnceAndNoTransactionHalfAcrossKills(String product) throws Exception {
        EmbeddedDatabase server = product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        String table = SCHEMA + "." + SCHEMA + "_" + product;
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, payload VARCHAR(64))");
        String[] start = binlogEnd(server);
        Path log = Files.createFile(work.resolve("delivered.log"));
        String serverId = String.valueOf(SERVER_IDS.incrementAndGet());
        DatabaseUser user = server.users().get(0);
        CrashLoop.Outcome outcome = CrashLoop.run(server, table, work, log, output -> CrashLoop.java(output,
                CrashConsumerMain.class, server.host(), String.valueOf(server.port()), user.name(), user.password(),
                serverId, work.resolve("checkpoints").toString(), log.toString(), table, start[0], start[1]));
        System.out.println(product + " binlog crash test: " + outcome);
    }

    private static String[] binlogEnd(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }
}
