package dev.canalboot.listener;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.CrashLoop;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgement exactness with listener concurrency: consumer JVMs ({@link ConcurrentCrashConsumerMain}: 8 workers
 * ordered by key, a listener slow on one key and fast on the others, a file checkpoint store) are killed with
 * SIGKILL at random points while a writer updates 16 keys (half the rows on the slow key, which therefore has rows
 * in flight at most kills while later rows of other keys are done), and started again. The delivery log must show every
 * committed row at least once, each key's rows in binlog order within each run, and no run resuming past a row of
 * a key that an earlier run had not finished: a checkpoint never passed an unfinished row.
 */
class ConcurrentCrashTest {

    static final String SCHEMA = "concurrent_crash";
    static final int KILLS = Integer.getInteger("crash.concurrent.kills", 10);
    static final int STATEMENTS = 800;
    static final int KEYS = 16;
    private static final Pattern ROW = Pattern.compile("(\\d+) (\\d+) ;");

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    void everyRowAtLeastOnceInKeyOrderAndNoCheckpointAheadOfAnUnfinishedRow(String product) throws Exception {
        EmbeddedDatabase server = product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        String table = SCHEMA + ".items_" + product;
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL)");
        String[] start = binlogEnd(server);
        Path log = Files.createFile(work.resolve("delivered.log"));
        DatabaseUser user = server.users().get(0);
        String serverId = String.valueOf(product.equals("mysql") ? 9301 : 9302);
        Map<Long, List<Integer>> written = new ConcurrentHashMap<>();
        CrashLoop.Kills kills = CrashLoop.killAndRestart(work, log, output -> CrashLoop.java(output,
                        ConcurrentCrashConsumerMain.class, server.host(), String.valueOf(server.port()), user.name(),
                        user.password(), serverId, work.resolve("checkpoints").toString(), log.toString(), table,
                        start[0], start[1]),
                KILLS, () -> write(server, table, written), () -> allDelivered(log, written));

        List<String> problems = check(runs(log), written);
        assertThat(problems).as("delivery problems after %s (log in %s)", kills, work).isEmpty();
        assertThat(kills.kills()).isGreaterThanOrEqualTo(Math.min(KILLS, 10));
        System.out.println(product + " concurrent crash test: " + kills + ", " + STATEMENTS + " rows committed");
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
    }

    /**
     * Upserts of 16 keys, half of them of the slow key, one to four per transaction, over one connection (so each
     * key's values grow in binlog order), paced to last about 4 s per planned kill (as the other crash tests);
     * {@code written} gets each key's values once committed.
     */
    private static void write(EmbeddedDatabase server, String table, Map<Long, List<Integer>> written) {
        Random random = new Random(7);
        long startNanos = System.nanoTime();
        long nanosPerStatement = TimeUnit.MILLISECONDS.toNanos(4000L * KILLS) / STATEMENTS;
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            int v = 0;
            while (v < STATEMENTS) {
                Map<Long, List<Integer>> transaction = new HashMap<>();
                int size = 1 + random.nextInt(4);
                for (int i = 0; i < size && v < STATEMENTS; i++) {
                    // Half the rows on the slow key: it has rows in flight most of the time, behind the other keys
                    long key = random.nextBoolean() ? ConcurrentCrashConsumerMain.SLOW_KEY : 1 + random.nextInt(KEYS - 1);
                    v++;
                    s.execute("INSERT INTO " + table + " VALUES (" + key + ", " + v + ") ON DUPLICATE KEY UPDATE v = " + v);
                    transaction.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                }
                c.commit();
                transaction.forEach((key, values) -> written.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values));
                long due = startNanos + v * nanosPerStatement - System.nanoTime();
                if (due > 0) {
                    TimeUnit.NANOSECONDS.sleep(due);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Writer failed", e);
        }
    }

    private static boolean allDelivered(Path log, Map<Long, List<Integer>> written) throws IOException {
        Map<Long, java.util.Set<Integer>> seen = new HashMap<>();
        for (List<long[]> run : runs(log)) {
            for (long[] row : run) {
                seen.computeIfAbsent(row[0], k -> new java.util.HashSet<>()).add((int) row[1]);
            }
        }
        int total = 0;
        for (Map.Entry<Long, List<Integer>> key : written.entrySet()) {
            total += key.getValue().size();
            if (!seen.getOrDefault(key.getKey(), java.util.Set.of()).containsAll(key.getValue())) {
                return false;
            }
        }
        return total == STATEMENTS;
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
