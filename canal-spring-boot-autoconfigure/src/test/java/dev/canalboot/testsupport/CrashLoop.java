package dev.canalboot.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.canalboot.embedded.EmbeddedDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill-and-restart loop of the crash tests: a writer commits transactions 1..n (transaction t holds
 * {@link #size(long)} rows, ids {@link DeliveryCheck#rowId}) while consumer JVMs writing a {@link DeliveryLog} are
 * killed with SIGKILL at random moments after they delivered something; a last consumer runs until every row came.
 * Sizes come from {@code -Dcrash.kills} (default 8) and {@code -Dcrash.transactions} (default 6000).
 */
public final class CrashLoop {

    public static final int KILLS = Integer.getInteger("crash.kills", 8);
    public static final int TRANSACTIONS = Integer.getInteger("crash.transactions", 6000);

    /** Starts one consumer JVM writing to the delivery log, its output going to {@code output}. */
    @FunctionalInterface
    public interface Launcher {
        Process launch(Path output) throws Exception;
    }

    public record Outcome(int kills, int killsWhileWriting, int launches, long expectedRows, DeliveryCheck.Result result) {
        @Override
        public String toString() {
            return kills + " kills (" + killsWhileWriting + " while the writer ran), " + TRANSACTIONS + " transactions, "
                    + expectedRows + " rows committed, " + result.rows() + " rows delivered, " + result.duplicates()
                    + " duplicates";
        }
    }

    private CrashLoop() {
    }

    public static long size(long transaction) {
        return 1 + (transaction * 7919) % 9;
    }

    /** Runs the loop and checks the delivery log; asserts every row arrived and each consumer ran. */
    public static Outcome run(EmbeddedDatabase server, String table, Path work, Path log, Launcher launcher)
            throws Exception {
        long expectedRows = 0;
        for (long t = 1; t <= TRANSACTIONS; t++) {
            expectedRows += size(t);
        }
        long rows = expectedRows;
        Kills kills = killAndRestart(work, log, launcher, KILLS, () -> write(server, table),
                () -> DeliveryCheck.delivered(log).size() == rows);
        DeliveryCheck.Result result = DeliveryCheck.check(log, TRANSACTIONS, CrashLoop::size);
        Outcome outcome = new Outcome(kills.kills(), kills.killsWhileWriting(), kills.launches(), expectedRows, result);
        assertThat(result.problems()).as("delivery problems after %s (log in %s)", outcome, work).isEmpty();
        assertThat(result.distinctRows()).isEqualTo(expectedRows);
        assertThat(result.runs()).isEqualTo(kills.launches());
        return outcome;
    }

    /**
     * What {@link #killAndRestart} did: consumers killed (some while the writer ran) and started, and the
     * slowest and mean time from a killed consumer's launch to its first delivered row (its JVM's start-up).
     */
    public record Kills(int kills, int killsWhileWriting, int launches, long slowestStartMillis, long meanStartMillis) {
        @Override
        public String toString() {
            return kills + " kills (" + killsWhileWriting + " while the writer ran), " + launches + " consumers started, "
                    + meanStartMillis + " ms mean and " + slowestStartMillis + " ms at most from launch to the first row";
        }
    }

    /** Whether everything the writer committed was delivered; may read the delivery log. */
    @FunctionalInterface
    public interface DeliveryProbe {
        boolean allDelivered() throws Exception;
    }

    /**
     * Runs {@code writer} in the background and kills consumer JVMs with SIGKILL, each at a random moment (up to
     * 300 ms) after it delivered something, {@code kills} times or until everything was delivered; then, with the
     * writer done, runs a last consumer until everything was delivered. Asserts every consumer made progress and
     * that kills fell while the writer ran.
     */
    public static Kills killAndRestart(Path work, Path log, Launcher launcher, int kills, Runnable writer,
                                       DeliveryProbe delivered) throws Exception {
        return killAndRestart(work, List.of(log), launcher, kills, writer, delivered);
    }

    /**
     * {@link #killAndRestart(Path, Path, Launcher, int, Runnable, DeliveryProbe)} for a consumer JVM that writes
     * several delivery logs (one per source it consumes): each kill waits until every log got rows from the
     * consumer, so one kill hits every source.
     */
    public static Kills killAndRestart(Path work, List<Path> logs, Launcher launcher, int kills, Runnable writer,
                                       DeliveryProbe delivered) throws Exception {
        Random random = new Random(Long.getLong("crash.seed", System.nanoTime()));
        CompletableFuture<Void> writing = CompletableFuture.runAsync(writer);
        int killed = 0;
        int killsWhileWriting = 0;
        int launches = 0;
        long slowestStart = 0;
        long totalStart = 0;
        try {
            boolean allDelivered = false;
            while (killed < kills && !allDelivered) {
                Path output = work.resolve("consumer-" + launches++ + ".out");
                long launched = System.nanoTime();
                Process consumer = launcher.launch(output);
                try {
                    long[] before = new long[logs.size()];
                    for (int i = 0; i < before.length; i++) {
                        before[i] = Files.size(logs.get(i));
                    }
                    long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    // Kill only once this process delivered rows (to every log), at a random moment after that
                    while (!grew(logs, before)) {
                        assertThat(consumer.isAlive()).as("consumer %d alive; output:%n%s", launches,
                                Files.readString(output)).isTrue();
                        assertThat(System.nanoTime()).as("consumer %d made progress within 60 s", launches)
                                .isLessThan(guard);
                        Thread.sleep(10);
                    }
                    long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launched);
                    slowestStart = Math.max(slowestStart, startMillis);
                    totalStart += startMillis;
                    Thread.sleep(random.nextInt(300));
                    allDelivered = writing.isDone() && delivered.allDelivered();
                    killsWhileWriting += writing.isDone() ? 0 : 1;
                } finally {
                    consumer.destroyForcibly().waitFor();
                }
                killed++;
            }
            writing.get(5, TimeUnit.MINUTES);
            Path output = work.resolve("consumer-" + launches++ + ".out");
            Process last = launcher.launch(output);
            try {
                long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!delivered.allDelivered() && last.isAlive() && System.nanoTime() < guard) {
                    Thread.sleep(200);
                }
                assertThat(last.isAlive()).as("last consumer alive; output:%n%s", Files.readString(output)).isTrue();
            } finally {
                last.destroyForcibly().waitFor();
            }
        } finally {
            writing.cancel(true);
        }
        assertThat(killsWhileWriting).as("kills during the workload").isPositive();
        return new Kills(killed, killsWhileWriting, launches, slowestStart, killed == 0 ? 0 : totalStart / killed);
    }

    private static boolean grew(List<Path> logs, long[] before) throws java.io.IOException {
        for (int i = 0; i < before.length; i++) {
            if (Files.size(logs.get(i)) <= before[i] + "\nRUN\n".length()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A JVM running {@code mainClass} with the test class path; tuned to start fast (these JVMs live for a
     * second or two before they are killed): client compiler only, serial collector.
     */
    public static Process java(Path output, Class<?> mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /**
     * Commits the transactions over two connections, paced to last about four seconds per planned kill so that
     * the kills fall while it writes.
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
}
