package dev.canalboot.listener;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.ConcurrentCrashConsumerMain;
import dev.canalboot.testsupport.CrashLoop;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgement exactness with listener concurrency: consumer JVMs ({@link ConcurrentCrashConsumerMain}: one
 * container on MySQL and one on MariaDB in the same JVM, so each kill hits both; 8 workers ordered by key, a
 * listener slow on one key and fast on the others, file checkpoint stores) are killed with SIGKILL at random
 * points while a writer per database upserts 16 keys (half the upserts on the slow key, which therefore has rows in
 * flight at most kills while later rows of other keys are done) and moves rows to other primary keys (an UPDATE
 * of the key, ordered against both keys), and started again. Each delivery log must show every committed row at
 * least once, each key's rows in binlog order within each run, and no run resuming past a row of a key that an
 * earlier run had not finished: a checkpoint never passed an unfinished row. It prints what it measured: kills,
 * rows committed and delivered, and how many kills found rows done past an unfinished one.
 */
class ConcurrentCrashIT {

    static final String SCHEMA = "concurrent_crash";
    static final int KILLS = Integer.getInteger("crash.concurrent.kills", 10);
    /** Statements per database: upserts, and moves of a row to a free primary key. */
    static final int STATEMENTS = 600;
    /** The writer's pace: it commits its statements over this long per planned kill. */
    static final long WRITE_MILLIS_PER_KILL = 1500;
    /** Keys the upserts go to; moves use these and {@link #MOVE_ONLY_KEYS} more, so a free key is always at hand. */
    static final int KEYS = 16;
    static final int MOVE_ONLY_KEYS = 200;
    static final List<String> PRODUCTS = List.of("mysql", "mariadb");
    private static final Pattern ROW = Pattern.compile("(\\d+) (\\d+) ;");

    @TempDir
    Path work;

    /** What one database's writer committed: each key's values in binlog order, and the statement counts. */
    record Written(Map<Long, List<Integer>> values, int[] upsertsAndMoves) {
        Written() {
            this(new ConcurrentHashMap<>(), new int[2]);
        }
    }

    @Test
    void everyRowAtLeastOnceInKeyOrderAndNoCheckpointAheadOfAnUnfinishedRowOnBothDatabases() throws Exception {
        long started = System.nanoTime();
        List<EmbeddedDatabase> servers = List.of(TestServers.mysql(), TestServers.mariadb());
        List<String> arguments = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            EmbeddedDatabase server = servers.get(i);
            String table = table(PRODUCTS.get(i));
            server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP TABLE IF EXISTS " + table,
                    "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL)");
            String[] start = binlogEnd(server);
            Path log = Files.createFile(work.resolve("delivered-" + PRODUCTS.get(i) + ".log"));
            DatabaseUser user = server.users().get(0);
            arguments.addAll(List.of(server.host(), String.valueOf(server.port()), user.name(), user.password(),
                    String.valueOf(9301 + i), work.resolve("checkpoints-" + PRODUCTS.get(i)).toString(),
                    log.toString(), table, start[0], start[1]));
            logs.add(log);
            written.add(new Written());
        }
        Runnable writers = () -> {
            awaitFirstConsumer(logs);
            CompletableFuture.allOf(
                    CompletableFuture.runAsync(() -> write(servers.get(0), table(PRODUCTS.get(0)), written.get(0))),
                    CompletableFuture.runAsync(() -> write(servers.get(1), table(PRODUCTS.get(1)), written.get(1)))).join();
        };
        CrashLoop.Kills kills = CrashLoop.killAndRestart(work, logs, output -> CrashLoop.java(output,
                        ConcurrentCrashConsumerMain.class, arguments.toArray(String[]::new)),
                KILLS, writers, () -> allDelivered(logs.get(0), written.get(0)) && allDelivered(logs.get(1), written.get(1)));

        for (int i = 0; i < servers.size(); i++) {
            List<List<long[]>> runs = runs(logs.get(i));
            Map<Long, List<Integer>> values = written.get(i).values();
            assertThat(check(runs, values)).as("%s delivery problems after %s (logs in %s)", PRODUCTS.get(i), kills, work)
                    .isEmpty();
            int[] counts = written.get(i).upsertsAndMoves();
            assertThat(counts[1]).as("primary-key changes committed on %s", PRODUCTS.get(i)).isPositive();
            Exposure exposure = exposure(runs, values);
            System.out.printf("%s concurrent crash test: %s; %d upserts and %d primary-key changes committed (%d rows"
                            + " in the key logs), %d delivered over %d runs; %d of %d killed runs had rows done past an"
                            + " unfinished row (at most %d)%n", PRODUCTS.get(i), kills, counts[0], counts[1],
                    values.values().stream().mapToInt(List::size).sum(), runs.stream().mapToInt(List::size).sum(),
                    runs.size(), exposure.runs(), runs.size() - 1, exposure.mostRowsAhead());
            // Else no kill tested what a checkpoint must not do: pass an unfinished row that later rows overtook
            assertThat(exposure.runs()).as("killed runs with rows done past an unfinished row on %s", PRODUCTS.get(i))
                    .isPositive();
        }
        assertThat(kills.kills()).isGreaterThanOrEqualTo(KILLS);
        System.out.printf("concurrent crash test: %d kills of a JVM consuming both databases in %.1f s%n",
                kills.kills(), (System.nanoTime() - started) / 1e9);
    }

    @Test
    void theCheckCatchesARunResumingPastAnUnfinishedRowAndRowsOutOfOrder() {
        Map<Long, List<Integer>> written = Map.of(1L, List.of(1, 4, 6), 2L, List.of(2, 3, 5));
        List<long[]> first = List.of(new long[]{1, 1}, new long[]{2, 2}, new long[]{2, 3});
        List<long[]> resumedPast = List.of(new long[]{1, 6}, new long[]{2, 5});
        List<long[]> resumedAt = List.of(new long[]{1, 4}, new long[]{2, 3}, new long[]{2, 5}, new long[]{1, 6});
        assertThat(check(List.of(first, resumedAt), written)).isEmpty();
        assertThat(check(List.of(first, resumedPast), written))
                .containsExactly("run 1 resumed key 1 at value 6, past 4 that no earlier run finished");
        assertThat(check(List.of(List.of(new long[]{1, 1}, new long[]{1, 6}, new long[]{1, 4}, new long[]{2, 2},
                new long[]{2, 3}, new long[]{2, 5})), written)).hasSize(2)
                .allSatisfy(problem -> assertThat(problem).contains("key 1 went from value"));
        assertThat(check(List.of(first), written)).containsExactlyInAnyOrder(
                "key 1: values after 0 of 3 never delivered", "key 2: values after 1 of 3 never delivered");
        // A move from key 1 to key 3 (value 4) belongs to both keys' sequences
        Map<Long, List<Integer>> moved = Map.of(1L, List.of(1, 4), 3L, List.of(4, 6));
        assertThat(check(List.of(List.of(new long[]{1, 1}, new long[]{1, 4}, new long[]{3, 4}, new long[]{3, 6})),
                moved)).isEmpty();
        assertThat(check(List.of(List.of(new long[]{1, 1}, new long[]{1, 4}, new long[]{3, 6})), moved))
                .containsExactly("run 0 resumed key 3 at value 6, past 4 that no earlier run finished");
    }

    @Test
    void exposureCountsKilledRunsThatDidRowsPastAnUnfinishedRow() {
        Map<Long, List<Integer>> written = Map.of(1L, List.of(1, 4, 6), 2L, List.of(2, 3, 5));
        List<long[]> inOrder = List.of(new long[]{1, 1}, new long[]{2, 2}, new long[]{2, 3});
        List<long[]> pastKey1 = List.of(new long[]{2, 2}, new long[]{2, 3}, new long[]{2, 5});
        List<long[]> last = List.of(new long[]{1, 1}, new long[]{1, 4}, new long[]{1, 6}, new long[]{2, 5});
        assertThat(exposure(List.of(inOrder, last), written)).isEqualTo(new Exposure(0, 0));
        assertThat(exposure(List.of(pastKey1, last), written)).isEqualTo(new Exposure(1, 3));
    }

    private static String table(String product) {
        return SCHEMA + ".items_" + product;
    }

    /**
     * Upserts of 16 keys (half of them of the slow key) and, one statement in six, a move of an existing row to a
     * free key ({@code UPDATE ... SET id = new}; the slow key moves away and back too), one to four statements per
     * transaction, over one connection (so values grow in binlog order); paced to last
     * {@link #WRITE_MILLIS_PER_KILL} per planned kill. Every statement sets {@code v} to the next number;
     * {@code written} gets, once committed, each key's values, a move's under both keys.
     */
    private static void write(EmbeddedDatabase server, String table, Written written) {
        Random random = new Random(7);
        long slow = ConcurrentCrashConsumerMain.SLOW_KEY;
        long startNanos = System.nanoTime();
        long nanosPerStatement = TimeUnit.MILLISECONDS.toNanos(WRITE_MILLIS_PER_KILL * KILLS) / STATEMENTS;
        List<Long> existing = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            int v = 0;
            while (v < STATEMENTS) {
                Map<Long, List<Integer>> transaction = new HashMap<>();
                int size = 1 + random.nextInt(4);
                for (int i = 0; i < size && v < STATEMENTS; i++) {
                    v++;
                    List<Long> free = new ArrayList<>();
                    for (long key = 0; key < KEYS + MOVE_ONLY_KEYS; key++) {
                        if (!existing.contains(key)) {
                            free.add(key);
                        }
                    }
                    if (random.nextInt(6) == 0 && !existing.isEmpty() && !free.isEmpty()) {
                        long from = existing.contains(slow) && random.nextInt(3) == 0 ? slow
                                : existing.get(random.nextInt(existing.size()));
                        long to = free.contains(slow) && random.nextInt(3) == 0 ? slow : free.get(random.nextInt(free.size()));
                        assertThat(s.executeUpdate("UPDATE " + table + " SET id = " + to + ", v = " + v
                                + " WHERE id = " + from)).isEqualTo(1);
                        existing.remove(from);
                        existing.add(to);
                        transaction.computeIfAbsent(from, k -> new ArrayList<>()).add(v);
                        transaction.computeIfAbsent(to, k -> new ArrayList<>()).add(v);
                        written.upsertsAndMoves()[1]++;
                    } else {
                        // Half the upserts on the slow key: it has rows in flight most of the time, behind other keys
                        long key = random.nextBoolean() ? slow : 1 + random.nextInt(KEYS - 1);
                        s.execute("INSERT INTO " + table + " VALUES (" + key + ", " + v + ") ON DUPLICATE KEY UPDATE v = " + v);
                        if (!existing.contains(key)) {
                            existing.add(key);
                        }
                        transaction.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                        written.upsertsAndMoves()[0]++;
                    }
                }
                c.commit();
                transaction.forEach((key, values) -> written.values().computeIfAbsent(key, k -> new ArrayList<>()).addAll(values));
                long due = startNanos + v * nanosPerStatement - System.nanoTime();
                if (due > 0) {
                    TimeUnit.NANOSECONDS.sleep(due);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Writer on " + table + " failed", e);
        }
    }

    /**
     * Waits until the first consumer JVM opened its delivery logs (it is about to connect), at most 2 minutes: the
     * writer's paced span then covers the kills even when JVMs start slowly on a loaded machine.
     */
    private static void awaitFirstConsumer(List<Path> logs) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try {
            while (System.nanoTime() < deadline && logs.stream().anyMatch(log -> log.toFile().length() == 0)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many runs (all but the last were killed) had rows done past a row unfinished when the run ended. */
    record Exposure(int runs, int mostRowsAhead) {
    }

    /**
     * Per run: the earliest value (in binlog order, which {@code v} follows) that no run up to its end had
     * finished, and the rows that run did past it. A row done past an unfinished one is what a checkpoint must not
     * pass; the runs where that happened show the kills tested it.
     */
    static Exposure exposure(List<List<long[]>> runs, Map<Long, List<Integer>> written) {
        Map<Long, Integer> furthest = new HashMap<>();
        int exposed = 0;
        int most = 0;
        for (List<long[]> run : runs.subList(0, Math.max(0, runs.size() - 1))) {
            for (long[] row : run) {
                int index = written.getOrDefault(row[0], List.of()).indexOf((int) row[1]);
                furthest.merge(row[0], index, Math::max);
            }
            long earliestUnfinished = Long.MAX_VALUE;
            for (Map.Entry<Long, List<Integer>> key : written.entrySet()) {
                int next = furthest.getOrDefault(key.getKey(), -1) + 1;
                if (next < key.getValue().size()) {
                    earliestUnfinished = Math.min(earliestUnfinished, key.getValue().get(next));
                }
            }
            long limit = earliestUnfinished;
            int ahead = (int) run.stream().filter(row -> row[1] > limit).count();
            exposed += ahead > 0 ? 1 : 0;
            most = Math.max(most, ahead);
        }
        return new Exposure(exposed, most);
    }

    /** Whether every value the writer committed is in the log; asked only once the writer is done. */
    private static boolean allDelivered(Path log, Written written) throws IOException {
        Map<Long, Set<Integer>> seen = new HashMap<>();
        for (List<long[]> run : runs(log)) {
            for (long[] row : run) {
                seen.computeIfAbsent(row[0], k -> new HashSet<>()).add((int) row[1]);
            }
        }
        for (Map.Entry<Long, List<Integer>> key : written.values().entrySet()) {
            if (!seen.getOrDefault(key.getKey(), Set.of()).containsAll(key.getValue())) {
                return false;
            }
        }
        return written.upsertsAndMoves()[0] + written.upsertsAndMoves()[1] == STATEMENTS;
    }

    /** The log's runs, each the {@code (id, v)} rows it wrote in order; a torn last line of a run is left out. */
    static List<List<long[]>> runs(Path log) throws IOException {
        List<List<long[]>> runs = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (line.equals("RUN")) {
                runs.add(new ArrayList<>());
            } else if (row.matches() && !runs.isEmpty()) {
                runs.get(runs.size() - 1).add(new long[]{Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
            }
        }
        return runs;
    }

    /**
     * Per key, against the values it was written with: within each run the values seen are consecutive written
     * values in order (binlog order, nothing skipped); each run starts a key at most one past the furthest value an
     * earlier run reached (a later start would mean the checkpoint had passed an unfinished row); and every value
     * was seen.
     */
    static List<String> check(List<List<long[]>> runs, Map<Long, List<Integer>> written) {
        List<String> problems = new ArrayList<>();
        Map<Long, Integer> furthest = new HashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            Map<Long, Integer> last = new HashMap<>();
            for (long[] row : runs.get(r)) {
                long key = row[0];
                List<Integer> values = written.getOrDefault(key, List.of());
                int index = values.indexOf((int) row[1]);
                if (index < 0) {
                    problems.add("run " + r + ": key " + key + " value " + row[1] + " was never committed");
                    continue;
                }
                Integer previous = last.put(key, index);
                if (previous == null) {
                    int reached = furthest.getOrDefault(key, -1);
                    if (index > reached + 1) {
                        problems.add("run " + r + " resumed key " + key + " at value " + values.get(index)
                                + ", past " + values.get(reached + 1) + " that no earlier run finished");
                    }
                } else if (index != previous + 1) {
                    problems.add("run " + r + ": key " + key + " went from value " + values.get(previous) + " to "
                            + values.get(index) + " (written in between or before: out of order or skipped)");
                }
                furthest.merge(key, index, Math::max);
            }
        }
        written.forEach((key, values) -> {
            if (furthest.getOrDefault(key, -1) != values.size() - 1) {
                problems.add("key " + key + ": values after " + furthest.get(key) + " of " + values.size()
                        + " never delivered");
            }
        });
        return problems;
    }

    private static String[] binlogEnd(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }
}
