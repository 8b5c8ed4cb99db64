package dev.canalboot.ha;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.CrashLoop;
import dev.canalboot.testsupport.DeliveryCheck;
import dev.canalboot.testsupport.HaConsumerMain;

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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumer JVMs ({@link HaConsumerMain}) on one binlog source of MySQL 8.0 under high availability, a writer
 * committing throughout, and what the multi-JVM tests check from the instances' fsync'd logs (epoch and wall clock
 * per row): every committed row delivered, each term in commit order, no two terms at once. The election mode and
 * checkpoint store are the consumers' arguments; {@link Epochs} reads the current leader from the mode's storage.
 */
final class HaKillHarness {

    /** The latest claimed epoch of source {@code default} and its holder, or null when none was claimed yet. */
    interface Epochs {
        Leader latest() throws Exception;
    }

    record Leader(long epoch, String holder) {
    }

    /** Something done after the takeover that followed kill number {@code kill} (0-based). */
    interface AfterTakeover {
        void run(int kill) throws Exception;
    }

    /** What {@link #killLeaders} measured. */
    record Kills(List<Long> takeoverMillis, long committedTransactions, int terms) {

        String summary() {
            List<Long> sorted = takeoverMillis.stream().sorted().toList();
            return "median " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1) + " ms, all "
                    + takeoverMillis;
        }
    }

    /** Under target/, kept after a run: the instances' logs and outputs are what a failure is read from. */
    final Path work;
    private final EmbeddedDatabase db;
    private final String schema;
    private final List<String> haArguments;
    private final Epochs epochs;
    private final List<Process> consumers = new ArrayList<>();
    private String[] start;
    private int launched;
    private long frozenAt;

    /**
     * Creates table {@code schema.items} afresh and starts the consumers' source at the binlog's end.
     *
     * @param haArguments the consumers' command-line properties of election and checkpoint store
     */
    HaKillHarness(String name, EmbeddedDatabase db, String schema, List<String> haArguments, Epochs epochs)
            throws Exception {
        this.work = Path.of("target", name, String.valueOf(System.currentTimeMillis()));
        this.db = db;
        this.schema = schema;
        this.haArguments = List.copyOf(haArguments);
        this.epochs = epochs;
        Files.createDirectories(work);
        db.execute("CREATE DATABASE IF NOT EXISTS " + schema, "DROP TABLE IF EXISTS " + schema + ".items",
                "CREATE TABLE " + schema + ".items (id BIGINT PRIMARY KEY)");
        start = binlogEnd(db); // not "latest": the writer may commit before the first leader connected
    }

    /**
     * Kills the current leader with SIGKILL {@code kills} times, each time once it delivered in its term and a
     * standby is up (a fresh JVM replaces each killed one but the last), while a writer commits; then waits for
     * every row.
     */
    Kills killLeaders(int kills, AfterTakeover afterTakeover) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Long> takeovers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                launch();
            }
            long started = System.currentTimeMillis();
            Leader first = awaitNewLeader(0, 90_000);
            System.out.printf("%s: first leader %s after %d ms%n", work.getFileName(), first,
                    System.currentTimeMillis() - started);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> write(writing));
            Random random = new Random(Long.getLong("ha.seed", System.nanoTime()));
            int missed = 0;
            for (int kill = 0; takeovers.size() < kills; kill++) {
                // The current leader, once it delivered in its term (a leader may also lose its lease on a busy
                // machine and hand over by itself: then its successor is the one to kill).
                Leader leader = deliveringLeader(60_000);
                awaitAStandby(60_000);
                Thread.sleep(random.nextInt(300));
                Process victim = consumerOf(leader.holder());
                long killedAt = System.currentTimeMillis();
                victim.destroyForcibly().waitFor();
                boolean last = takeovers.size() == kills - 1;
                if (!last) {
                    launch(); // a fresh standby for the kills to come (none after the last: no JVM start to compete)
                }
                long nextTerm = awaitDeliveryAfter(leader.epoch(), 90_000);
                if (nextTerm < killedAt) {
                    // It had handed over by itself between our look and the kill: not a kill of the leader.
                    assertThat(++missed).as("kills that found the leader already gone").isLessThanOrEqualTo(kills);
                    System.out.printf("%s: kill %d hit %s after its term %d had ended; not counted%n",
                            work.getFileName(), kill, leader.holder(), leader.epoch());
                    if (last) {
                        launch();
                    }
                } else {
                    takeovers.add(nextTerm - killedAt);
                }
                afterTakeover.run(kill);
            }
            writing.set(false);
            long committed = writer.get(60, TimeUnit.SECONDS);
            awaitEveryRow(committed);
            Map<Long, List<long[]>> terms = terms();
            checkTerms(terms);
            return new Kills(takeovers, committed, terms.size());
        } finally {
            writing.set(false);
            stopAll();
        }
    }

    /**
     * What {@link #freezeLeader} saw.
     *
     * @param lateCall whether the listener call under way at the freeze completed after the takeover
     */
    record Frozen(String holder, long epoch, long takeoverMillis, boolean lateCall) {

        /** What happened after SIGCONT, for the test's report. */
        String afterThaw() {
            return lateCall ? "the call under way at the freeze completed, no other started" : "no listener call";
        }
    }

    /**
     * Two consumers and a writer; the leader, once it delivered, is frozen with SIGSTOP until the other delivered
     * in a later term, then thawed with SIGCONT. Asserts that it goes back to standby, starts no listener call in its
     * frozen term after the takeover (the one call under way at the freeze may complete), keeps running, that its
     * epoch did not write the checkpoint last ({@code checkpointEpoch} reads the epoch the stored checkpoint
     * carries), that every row arrived and the terms never overlapped but for that call.
     */
    Frozen freezeLeader(CheckpointEpoch checkpointEpoch) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            launch();
            launch();
            awaitNewLeader(0, 90_000);
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> write(writing));
            Leader frozen = deliveringLeader(60_000);
            awaitAStandby(90_000);
            Process process = consumerOf(frozen.holder());
            signal("STOP", process);
            long takenOver = awaitDeliveryAfter(frozen.epoch(), 60_000);
            Thread.sleep(500);
            signal("CONT", process);
            Path out = work.resolve(frozen.holder() + ".out");
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.readString(out).contains("instance " + frozen.holder() + " is now a standby")) {
                assertThat(System.currentTimeMillis()).as("%s back to standby after SIGCONT (output in %s)",
                        frozen.holder(), out).isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(2000); // time to misbehave, if it would
            writing.set(false);
            awaitEveryRow(writer.get(60, TimeUnit.SECONDS));
            // Of the frozen term (on a busy machine the thawed instance may lawfully be elected again later, in a
            // new epoch): once another instance delivered, at most the one listener call that was already under way
            // when SIGSTOP landed (between the container's lease check and the listener's first statement) may
            // complete on SIGCONT: nothing stops code already running. Its rows carry the one time the call began;
            // no other call may start, and the batch is not acknowledged (the checkpoint check below).
            List<long[]> late = rows(work.resolve(frozen.holder() + ".log")).stream()
                    .filter(row -> row[0] == frozen.epoch() && row[1] >= takenOver).toList();
            assertThat(late.stream().map(row -> row[1]).distinct().count())
                    .as("listener calls %s began in epoch %d after the takeover (at most the one under way at the freeze)",
                            frozen.holder(), frozen.epoch()).isLessThanOrEqualTo(1);
            assertThat(process.isAlive()).as("the thawed instance runs on as a standby").isTrue();
            assertThat(checkpointEpoch.read()).as("the checkpoint was last written by a later leader")
                    .isGreaterThan(frozen.epoch());
            TreeMap<Long, List<long[]>> terms = terms();
            terms.get(frozen.epoch()).removeIf(row -> row[1] >= takenOver); // that call, if it completed
            checkTerms(terms);
            return new Frozen(frozen.holder(), frozen.epoch(), takenOver - frozenAt, !late.isEmpty());
        } finally {
            writing.set(false);
            stopAll();
        }
    }

    /** The leader epoch the stored checkpoint of source {@code default} carries. */
    interface CheckpointEpoch {
        long read() throws Exception;
    }

    void stopAll() {
        consumers.forEach(Process::destroyForcibly);
    }

    void signal(String signal, Process process) throws Exception {
        if (signal.equals("STOP")) {
            frozenAt = System.currentTimeMillis();
        }
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor())
                .as("kill -%s %d", signal, process.pid()).isZero();
    }

    /** When the last SIGSTOP was sent. */
    long frozenAt() {
        return frozenAt;
    }

    /** Waits until every row of transactions 1..committed is in some instance's log, and asserts it. */
    void awaitEveryRow(long committedTransactions) throws Exception {
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
    void checkTerms(Map<Long, List<long[]>> terms) {
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
    TreeMap<Long, List<long[]>> terms() throws Exception {
        TreeMap<Long, List<long[]>> terms = new TreeMap<>();
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

    static List<long[]> rows(Path log) throws Exception {
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
    long awaitDeliveryAfter(long epoch, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Map.Entry<Long, List<long[]>> next = terms().higherEntry(epoch);
            if (next != null) {
                return next.getValue().get(0)[1];
            }
            assertThat(System.currentTimeMillis()).as("a term after epoch %d delivered within %d ms (logs in %s)",
                    epoch, timeoutMillis, work).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The holder of the latest epoch, once that term delivered something. */
    Leader deliveringLeader(long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Leader latest = awaitNewLeader(0, timeoutMillis);
            if (terms().containsKey(latest.epoch())) {
                return latest;
            }
            assertThat(System.currentTimeMillis()).as("the leader of epoch %d delivered within %d ms (logs in %s)",
                    latest.epoch(), timeoutMillis, work).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits until a consumer besides the leader has started: the takeover measured is a standby's. */
    void awaitAStandby(long timeoutMillis) throws Exception {
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

    Leader awaitNewLeader(long after, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Leader latest = epochs.latest();
            if (latest != null && latest.epoch() > after) {
                return latest;
            }
            assertThat(System.currentTimeMillis()).as("a leader after epoch %d within %d ms", after, timeoutMillis)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    Process consumerOf(String instance) {
        return consumers.get(Integer.parseInt(instance.substring("consumer-".length())));
    }

    void launch() throws Exception {
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
                "--canal.ha.instance-id=" + instance, "--test.table=" + schema + ".items",
                "--test.log=" + work.resolve(instance + ".log"),
                "--logging.level.root=WARN", "--logging.level.dev.canalboot=INFO"));
        command.addAll(haArguments);
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
    long write(AtomicBoolean writing) {
        long t = 0;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement()) {
            while (writing.get()) {
                t++;
                StringBuilder sql = new StringBuilder("INSERT INTO " + schema + ".items VALUES ");
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
