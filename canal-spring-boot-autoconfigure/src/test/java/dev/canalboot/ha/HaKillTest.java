package dev.canalboot.ha;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.CrashLoop;
import dev.canalboot.testsupport.DeliveryCheck;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three consumer JVMs ({@link HaConsumerMain}) on one binlog source of MySQL 8.0 with {@code ha.mode=jdbc} and the
 * JDBC checkpoint store, a writer committing throughout, and the current leader killed with SIGKILL again and again
 * (a fresh JVM replaces each killed one): every committed row is delivered at least once, each leader term delivers
 * in commit order, no two terms deliver at the same time (from the instances' fsync'd logs: epoch and wall clock
 * per row), and the takeover time per kill is printed.
 */
class HaKillTest {

    static final String SCHEMA = "ha_kill";
    static final String STATE = "ha_kill_state";
    static final int KILLS = Integer.getInteger("ha.kills", 10);
    static final long LEASE_MILLIS = 2000;

    /** Under target/, kept after a run: the instances' logs and outputs are what a failure is read from. */
    private final Path work = Path.of("target", "ha-kill", String.valueOf(System.currentTimeMillis()));

    private final List<Process> consumers = new ArrayList<>();
    private String[] start;
    private int launched;

    @Test
    void everyRowArrivesOnlyOneInstanceDeliversAtATimeAcrossKillsOfTheLeader() throws Exception {
        EmbeddedDatabase db = prepare();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> takeovers = new ArrayList<>();
        long committedTransactions;
        try {
            for (int i = 0; i < 3; i++) {
                launch(db);
            }
            long started = System.currentTimeMillis();
            Leader first = awaitNewLeader(db, 0, 90_000);
            System.out.printf("HA kill test: first leader %s after %d ms%n", first, System.currentTimeMillis() - started);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> write(db, writing));
            Random random = new Random(Long.getLong("ha.seed", System.nanoTime()));
            for (int kill = 0; kill < KILLS; kill++) {
                // The current leader, once it delivered in its term (a leader may also lose its lease on a busy
                // machine and hand over by itself: then its successor is the one to kill).
                Leader leader = deliveringLeader(db, 60_000);
                awaitAStandby(60_000);
                Thread.sleep(random.nextInt(300));
                Process victim = consumerOf(leader.holder);
                long killedAt = System.currentTimeMillis();
                victim.destroyForcibly().waitFor();
                launch(db); // a fresh standby for the kills to come
                takeovers.add(awaitDeliveryAfter(leader.epoch, 60_000) - killedAt);
            }
            writing.set(false);
            committedTransactions = writer.get(60, TimeUnit.SECONDS);
            awaitEveryRow(committedTransactions);
        } finally {
            writing.set(false);
            consumers.forEach(Process::destroyForcibly);
        }
        Map<Long, List<long[]>> terms = terms();
        checkTerms(terms);
        List<Long> sorted = takeovers.stream().sorted().toList();
        System.out.printf("HA kill test: %d kills of the leader, %d transactions, %d terms; takeover (kill to the "
                        + "new leader's first delivery, lease %d ms): median %d ms, max %d ms, all %s%n", KILLS,
                committedTransactions, terms.size(), LEASE_MILLIS, sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1), takeovers);
        assertThat(takeovers).hasSize(KILLS);
    }

    /**
     * The leader frozen with SIGSTOP past its lease while another instance takes over, then thawed with SIGCONT:
     * it delivers nothing more, its epoch writes nothing to the checkpoint, and it goes back to standby.
     */
    @Test
    void aFrozenLeaderDeliversNothingAfterItIsThawedAndStandsBy() throws Exception {
        EmbeddedDatabase db = prepare();
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            launch(db);
            launch(db);
            awaitNewLeader(db, 0, 90_000);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> write(db, writing));
            Leader frozen = deliveringLeader(db, 60_000);
            awaitAStandby(90_000);
            Process process = consumerOf(frozen.holder);
            signal("STOP", process);
            long takenOver = awaitDeliveryAfter(frozen.epoch, 60_000);
            Thread.sleep(500);
            signal("CONT", process);
            long thawed = System.currentTimeMillis();
            Path out = work.resolve(frozen.holder + ".out");
            long deadline = thawed + 30_000;
            while (!Files.readString(out).contains("instance " + frozen.holder + " is now a standby")) {
                assertThat(System.currentTimeMillis()).as("%s back to standby after SIGCONT (output in %s)",
                        frozen.holder, out).isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(2000); // time to misbehave, if it would
            writing.set(false);
            awaitEveryRow(writer.get(60, TimeUnit.SECONDS));
            // Of the frozen term: on a busy machine the thawed instance may lawfully be elected again later, in a
            // new epoch.
            List<long[]> afterThaw = rows(work.resolve(frozen.holder + ".log")).stream()
                    .filter(row -> row[0] == frozen.epoch && row[1] >= thawed).toList();
            assertThat(afterThaw).as("rows %s delivered in epoch %d after SIGCONT", frozen.holder, frozen.epoch)
                    .isEmpty();
            assertThat(process.isAlive()).as("the thawed instance runs on as a standby").isTrue();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT leader_epoch FROM canal_checkpoint WHERE source_name = 'default'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).as("the checkpoint was last written by a later leader")
                        .isGreaterThan(frozen.epoch);
            }
            checkTerms(terms());
            System.out.printf("HA frozen-leader test: %s frozen in epoch %d, taken over %d ms later (lease %d ms);"
                    + " nothing delivered after SIGCONT, back to standby%n", frozen.holder, frozen.epoch,
                    takenOver - frozenAt, LEASE_MILLIS);
        } finally {
            writing.set(false);
            consumers.forEach(Process::destroyForcibly);
        }
    }

    private long frozenAt;

    private void signal(String signal, Process process) throws Exception {
        if (signal.equals("STOP")) {
            frozenAt = System.currentTimeMillis();
        }
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor())
                .as("kill -%s %d", signal, process.pid()).isZero();
    }

    private EmbeddedDatabase prepare() throws Exception {
        Files.createDirectories(work);
        EmbeddedDatabase db = TestServers.mysql();
        db.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP DATABASE IF EXISTS " + STATE,
                "CREATE DATABASE " + STATE, "DROP TABLE IF EXISTS " + SCHEMA + ".items",
                "CREATE TABLE " + SCHEMA + ".items (id BIGINT PRIMARY KEY)");
        start = binlogEnd(db); // not "latest": the writer may commit before the first leader connected
        return db;
    }

    /** Waits until every row of transactions 1..committed is in some instance's log, and asserts it. */
    private void awaitEveryRow(long committedTransactions) throws Exception {
        long expectedRows = 0;
        for (long t = 1; t <= committedTransactions; t++) {
            expectedRows += CrashLoop.size(t);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (deliveredIds().size() < expectedRows && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Set<Long> delivered = deliveredIds();
        for (long t = 1; t <= committedTransactions; t++) {
            for (int k = 0; k < CrashLoop.size(t); k++) {
                assertThat(delivered).as("row %d of transaction %d delivered (logs in %s)", k, t, work)
                        .contains(DeliveryCheck.rowId(t, k));
            }
        }
    }

    /** Each term (epoch) delivered by one instance, in commit order, and strictly after the term before it. */
    private void checkTerms(Map<Long, List<long[]>> terms) {
        assertThat(terms).as("no row delivered outside a leader term").doesNotContainKey(-1L);
        long previousEnd = Long.MIN_VALUE;
        long previousEpoch = -1;
        for (Map.Entry<Long, List<long[]>> term : terms.entrySet()) {
            List<long[]> rows = term.getValue();
            long start = rows.get(0)[1];
            long end = rows.get(rows.size() - 1)[1];
            assertThat(start).as("term %d starts after term %d ended: never two instances delivering at once",
                    term.getKey(), previousEpoch).isGreaterThan(previousEnd);
            long lastTransaction = 0;
            for (long[] row : rows) {
                long transaction = row[2] / 100;
                assertThat(transaction).as("term %d delivers in commit order", term.getKey())
                        .isGreaterThanOrEqualTo(lastTransaction);
                lastTransaction = transaction;
            }
            previousEnd = end;
            previousEpoch = term.getKey();
        }
    }

    /** Rows per epoch, in log order: {epoch, wallMillis, id}; an epoch found in two instances' logs fails. */
    private Map<Long, List<long[]>> terms() throws Exception {
        Map<Long, List<long[]>> terms = new TreeMap<>();
        Map<Long, String> owner = new HashMap<>();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                for (long[] row : rows(log)) {
                    String other = owner.putIfAbsent(row[0], log.getFileName().toString());
                    assertThat(other == null || other.equals(log.getFileName().toString()))
                            .as("epoch %d delivered by %s and %s", row[0], other, log.getFileName()).isTrue();
                    terms.computeIfAbsent(row[0], e -> new ArrayList<>()).add(row);
                }
            }
        }
        return terms;
    }

    private static List<long[]> rows(Path log) throws Exception {
        List<long[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.endsWith(" ;")) {
                continue; // torn by a kill
            }
            String[] parts = line.split(" ");
            rows.add(new long[]{Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])});
        }
        return rows;
    }

    private Set<Long> deliveredIds() throws Exception {
        Set<Long> ids = new HashSet<>();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                rows(log).forEach(r -> ids.add(r[2]));
            }
        }
        return ids;
    }

    /** The wall time of the first row delivered in a term after {@code epoch}, waiting for it. */
    private long awaitDeliveryAfter(long epoch, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Map.Entry<Long, List<long[]>> next = ((TreeMap<Long, List<long[]>>) terms()).higherEntry(epoch);
            if (next != null) {
                return next.getValue().get(0)[1];
            }
            assertThat(System.currentTimeMillis()).as("a term after epoch %d delivered within %d ms (logs in %s)",
                    epoch, timeoutMillis, work).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The holder of the latest epoch, once that term delivered something. */
    private Leader deliveringLeader(EmbeddedDatabase db, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Leader latest = awaitNewLeader(db, 0, timeoutMillis);
            if (terms().containsKey(latest.epoch)) {
                return latest;
            }
            assertThat(System.currentTimeMillis()).as("the leader of epoch %d delivered within %d ms (logs in %s)",
                    latest.epoch, timeoutMillis, work).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until a consumer besides the leader has started: the takeover measured is a standby's. */
    private void awaitAStandby(long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            int started = 0;
            for (int i = 0; i < consumers.size(); i++) {
                Path out = work.resolve("consumer-" + i + ".out");
                if (consumers.get(i).isAlive() && Files.exists(out) && Files.readString(out).contains("STARTED")) {
                    started++;
                }
            }
            if (started >= 2) {
                return;
            }
            assertThat(System.currentTimeMillis()).as("a standby started within %d ms", timeoutMillis)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    record Leader(long epoch, String holder) {
    }

    private Leader awaitNewLeader(EmbeddedDatabase db, long after, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT EPOCH, HOLDER FROM CANAL_HA_EPOCH WHERE SOURCE_NAME = 'default'")) {
                if (rs.next() && rs.getLong(1) > after) {
                    return new Leader(rs.getLong(1), rs.getString(2));
                }
            } catch (java.sql.SQLSyntaxErrorException notYetCreated) {
                // the first consumer creates the table
            }
            assertThat(System.currentTimeMillis()).as("a leader after epoch %d within %d ms", after, timeoutMillis)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Process consumerOf(String instance) {
        return consumers.get(Integer.parseInt(instance.substring("consumer-".length())));
    }

    private void launch(EmbeddedDatabase db) throws Exception {
        DatabaseUser user = db.nativePasswordUser();
        String instance = "consumer-" + launched++;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // quick start-up on a busy machine: C1 only, one GC thread
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                HaConsumerMain.class.getName(),
                "--canal.source.host=" + db.host(), "--canal.source.port=" + db.port(),
                "--canal.source.username=" + user.name(), "--canal.source.password=" + user.password(),
                "--canal.source.server-id=7201", "--canal.source.start.mode=position",
                "--canal.source.start.file=" + start[0], "--canal.source.start.position=" + start[1],
                "--canal.source.batch-size=50", "--canal.source.heartbeat-interval=1s",
                "--canal.source.ha.mode=jdbc", "--canal.checkpoint.store=jdbc",
                "--canal.ha.jdbc.lease=" + LEASE_MILLIS + "ms", "--canal.ha.instance-id=" + instance,
                "--test.jdbc-url=" + db.jdbcUrl(STATE), "--test.jdbc-user=" + db.rootUser(),
                "--test.jdbc-password=" + db.rootPassword(), "--test.log=" + work.resolve(instance + ".log"),
                "--logging.level.root=WARN", "--logging.level.dev.canalboot=INFO"));
        consumers.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(instance + ".out").toFile()).start());
    }

    private static String[] binlogEnd(EmbeddedDatabase db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).isTrue();
            return new String[]{rs.getString("File"), rs.getString("Position")};
        }
    }

    /** Commits transactions 1, 2, ... one at a time (commit order is transaction order) until told to stop. */
    private static long write(EmbeddedDatabase db, AtomicBoolean writing) {
        long t = 0;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement()) {
            while (writing.get()) {
                t++;
                StringBuilder sql = new StringBuilder("INSERT INTO " + SCHEMA + ".items VALUES ");
                for (int k = 0; k < CrashLoop.size(t); k++) {
                    sql.append(k == 0 ? "" : ", ").append('(').append(DeliveryCheck.rowId(t, k)).append(')');
                }
                s.execute(sql.toString());
                Thread.sleep(10);
            }
            return t;
        } catch (Exception e) {
            throw new IllegalStateException("Writer failed at transaction " + t, e);
        }
    }
}
