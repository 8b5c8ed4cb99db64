package dev.canalboot.snapshot;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.SnapshotHeapMain;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table snapshotted in a JVM with a 256 MB heap ({@link SnapshotHeapMain}, {@code -Xmx256m}) on MySQL 8.0.31:
 * every row arrives and the JVM does not run out of memory. 20,000 rows in CI; {@code -Dsnapshot.heap.rows=5000000}
 * for the long run (README, Snapshots, for what it printed).
 */
class SnapshotHeapIT {

    private static final String SCHEMA = "snapshot_heap";
    private static final int ROWS = Integer.getInteger("snapshot.heap.rows", 20_000);
    private static final int PER_INSERT = 100_000;

    @TempDir
    Path work;

    @Test
    void aTableIsSnapshottedToTheEndInA256MbHeap() throws Exception {
        EmbeddedMySql db = TestServers.mysql();
        DatabaseUser user = db.users().get(0);
        String table = SCHEMA + ".t";
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA, "CREATE TABLE " + table
                + " (id BIGINT PRIMARY KEY, k BIGINT NOT NULL, v VARCHAR(40) NOT NULL, payload VARCHAR(100) NOT NULL)");
        try {
            long loadStarted = System.nanoTime();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
                 Statement st = c.createStatement()) {
                st.execute("SET SESSION cte_max_recursion_depth = " + PER_INSERT);
                for (long from = 0; from < ROWS; from += PER_INSERT) {
                    long n = Math.min(PER_INSERT, ROWS - from);
                    st.execute("INSERT INTO " + table + " WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1"
                            + " FROM seq WHERE n < " + n + ") SELECT " + from + " + n, n, CONCAT('v', " + from + " + n),"
                            + " REPEAT('p', 64) FROM seq");
                }
            }
            double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
            Path output = work.resolve("heap.out");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), SnapshotHeapMain.class.getName(),
                    db.host(), String.valueOf(db.port()), user.name(), user.password(), "46118", table));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(60 + ROWS / 5_000, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String text = Files.readString(output);
            String result = text.lines().filter(l -> l.startsWith("SNAPSHOT rows=")).findFirst().orElse(null);
            assertThat(ended).as("ended in time; output tail:%n%s", tail(text)).isTrue();
            assertThat(process.exitValue()).as("exit; output tail:%n%s", tail(text)).isZero();
            assertThat(result).as("output tail:%n%s", tail(text)).startsWith("SNAPSHOT rows=" + ROWS + " ");
            System.out.printf("Snapshot heap test: %d rows loaded in %.1f s; -Xmx256m JVM: %s%n", ROWS, loadSeconds,
                    result);
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + SCHEMA);
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 4000));
    }
}
