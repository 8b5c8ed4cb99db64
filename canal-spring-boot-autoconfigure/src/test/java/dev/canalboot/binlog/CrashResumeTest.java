package dev.canalboot.binlog;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.DeliveryCheck;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the consuming JVM with SIGKILL at random points while a writer commits transactions of 1..9 rows, and
 * starts it again each time: every committed row is delivered at least once, no transaction partially, and every
 * restart resumes at a transaction end. Defaults are CI-sized; {@code -Dcrash.kills=N -Dcrash.transactions=M}
 * make a bigger run.
 */
class CrashResumeTest {

    static final String SCHEMA = "crash_resume";
    static final int KILLS = Integer.getInteger("crash.kills", 8);
    static final int TRANSACTIONS = Integer.getInteger("crash.transactions", 6000);
    static final AtomicLong SERVER_IDS = new AtomicLong(9000);

    @TempDir
    Path work;

    static long size(long transaction) {
        return 1 + (transaction * 7919) % 9;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    void everyCommittedRowArrivesAtLeastOnceAndNoTransactionHalfAcrossKills(String product) throws Exception {
        EmbeddedDatabase server = product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        String table = SCHEMA + "_" + product;
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA,
                "DROP TABLE IF EXISTS " + SCHEMA + "." + table,
                "CREATE TABLE " + SCHEMA + "." + table + " (id BIGINT PRIMARY KEY, payload VARCHAR(64))");
        String[] start = binlogEnd(server);
        Path log = Files.createFile(work.resolve("delivered.log"));
        Path checkpoints = work.resolve("checkpoints");
        long serverId = SERVER_IDS.incrementAndGet();
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));

        long expectedRows = 0;
        for (long t = 1; t <= TRANSACTIONS; t++) {
            expectedRows += size(t);
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(server, SCHEMA + "." + table));
        int kills = 0;
        int killsWhileWriting = 0;
        int launches = 0;
        try {
            boolean allDelivered = false;
            while (kills < KILLS && !allDelivered) {
                Path output = work.resolve("consumer-" + launches++ + ".out");
                Process consumer = launch(server, serverId, checkpoints, log, SCHEMA + "." + table, start, output);
                try {
                    long before = Files.size(log);
                    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    // Kill only once this process delivered rows, at a random moment after that
                    while (Files.size(log) <= before + "RUN\n".length()) {
                        assertThat(consumer.isAlive()).as("consumer %d alive; output:%n%s", launches,
                                Files.readString(output)).isTrue();
                        assertThat(System.nanoTime()).as("consumer %d made progress within 60 s", launches)
                                .isLessThan(guard);
                        Thread.sleep(10);
                    }
                    Thread.sleep(random.nextInt(300));
                    allDelivered = writer.isDone() && DeliveryCheck.delivered(log).size() == expectedRows;
                    killsWhileWriting += writer.isDone() ? 0 : 1;
                } finally {
                    consumer.destroyForcibly().waitFor();
                }
                kills++;
            }
            writer.get(5, TimeUnit.MINUTES);
            Path output = work.resolve("consumer-" + launches++ + ".out");
            Process last = launch(server, serverId, checkpoints, log, SCHEMA + "." + table, start, output);
            try {
                long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (DeliveryCheck.delivered(log).size() < expectedRows && last.isAlive()
                        && System.nanoTime() < guard) {
                    Thread.sleep(200);
                }
                assertThat(last.isAlive()).as("last consumer alive; output:%n%s", Files.readString(output)).isTrue();
            } finally {
                last.destroyForcibly().waitFor();
            }
        } finally {
            writer.cancel(true);
        }
        DeliveryCheck.Result result = DeliveryCheck.check(log, TRANSACTIONS, CrashResumeTest::size);
        System.out.printf("%s crash test: %d kills (%d while the writer ran), %d transactions, %d rows committed,"
                        + " %d rows delivered, %d duplicates%n", product, kills, killsWhileWriting, TRANSACTIONS,
                expectedRows, result.rows(), result.duplicates());
        assertThat(result.problems()).as("delivery problems (log in %s)", work).isEmpty();
        assertThat(result.distinctRows()).isEqualTo(expectedRows);
        assertThat(result.runs()).isEqualTo(launches);
        assertThat(killsWhileWriting).as("kills during the workload").isPositive();
    }

    private static String[] binlogEnd(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }

    /**
     * Commits transactions 1..TRANSACTIONS, transaction t holding size(t) rows, over two connections, paced to
     * last about four seconds per planned kill so that the kills fall while it writes.
     */
    private static void write(EmbeddedDatabase server, String table) {
        AtomicLong next = new AtomicLong(1);
        long startNanos = System.nanoTime();
        long nanosPerTransaction = TimeUnit.SECONDS.toNanos(4L * KILLS) / TRANSACTIONS;
        Runnable writerLoop = () -> {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
                 Statement s = c.createStatement()) {
                for (long t = next.getAndIncrement(); t <= TRANSACTIONS; t = next.getAndIncrement()) {
                    long due = startNanos + t * nanosPerTransaction - System.nanoTime();
                    if (due > 0) {
                        TimeUnit.NANOSECONDS.sleep(due);
                    }
                    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
                    for (int k = 0; k < size(t); k++) {
                        sql.append(k == 0 ? "" : ", ").append('(').append(DeliveryCheck.rowId(t, k))
                                .append(", 'transaction ").append(t).append("')");
                    }
                    s.execute(sql.toString());
                }
            } catch (Exception e) {
                throw new IllegalStateException("Writer failed", e);
            }
        };
        CompletableFuture.allOf(CompletableFuture.runAsync(writerLoop), CompletableFuture.runAsync(writerLoop)).join();
    }

    private static Process launch(EmbeddedDatabase server, long serverId, Path checkpoints, Path log, String table,
                                  String[] start, Path output) throws Exception {
        DatabaseUser user = server.users().get(0);
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), CrashConsumerMain.class.getName(),
                server.host(), String.valueOf(server.port()), user.name(), user.password(), String.valueOf(serverId),
                checkpoints.toString(), log.toString(), table, start[0], start[1]))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }
}
