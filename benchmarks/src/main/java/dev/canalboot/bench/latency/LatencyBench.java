package dev.canalboot.bench.latency;

import dev.canalboot.bench.BenchServer;
import org.HdrHistogram.Histogram;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Commit-to-listener latency at a steady write rate. A writer commits one multi-row INSERT every
 * {@value #INTERVAL_MILLIS} ms (rows/s × interval rows each) and notes when each commit returned; the consumer,
 * started first at the binlog end, records for each row the time from that commit's return to its listener call
 * (HdrHistogram, µs). A row that reaches the listener before the writer saw its commit return counts as 0. The
 * first {@value #WARMUP_SECONDS} s are not recorded.
 */
public final class LatencyBench {

    static final int INTERVAL_MILLIS = 5;
    static final int WARMUP_SECONDS = 3;
    private static final String TABLE = "latency";

    private LatencyBench() {
    }

    /** One consumer at one rate. */
    public record Result(String server, String consumer, int rowsPerSecond, Histogram histogram, long early,
                         double achievedRowsPerSecond, String error) {
    }

    public static List<Result> run(BenchServer server, int[] rates, int seconds, long firstReplicaServerId) {
        List<Result> results = new ArrayList<>();
        long serverId = firstReplicaServerId;
        for (LatencyConsumer consumer : LatencyConsumers.all()) {
            for (int rate : rates) {
                String why = consumer.unavailableReason(server);
                if (why != null) {
                    results.add(new Result(server.label(), consumer.id(), rate, null, 0, 0, why));
                    continue;
                }
                Result result;
                try {
                    result = once(server, consumer, rate, seconds, serverId++);
                } catch (Exception e) {
                    e.printStackTrace(System.err);
                    result = new Result(server.label(), consumer.id(), rate, null, 0, 0,
                            "failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                results.add(result);
                System.out.printf(Locale.ROOT, "[bench] latency %s %s %,d rows/s: %s%n", server.label(), consumer.id(),
                        rate, result.error() != null ? result.error() : String.format(Locale.ROOT,
                                "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", ms(result.histogram(), 50),
                                ms(result.histogram(), 99), ms(result.histogram(), 99.9)));
            }
        }
        return results;
    }

    /**
     * Microseconds from a commit's return ({@code committedAt}, 0 while it has not returned) to its row's arrival
     * ({@code arrivedAt}), or -1 for a row that came before its commit returned. That includes a commit stamped
     * after the listener read its clock: a negative latency once made the listener throw, and the container's
     * one-second retry back-off showed as a one-second stall.
     */
    static long latencyMicros(long committedAt, long arrivedAt) {
        return committedAt == 0 || committedAt > arrivedAt ? -1 : TimeUnit.NANOSECONDS.toMicros(arrivedAt - committedAt);
    }

    private static Result once(BenchServer server, LatencyConsumer consumer, int rate, int seconds, long serverId)
            throws Exception {
        server.execute("CREATE DATABASE IF NOT EXISTS bench", "DROP TABLE IF EXISTS bench." + TABLE,
                "CREATE TABLE bench." + TABLE + " (id BIGINT PRIMARY KEY, payload VARCHAR(32) NOT NULL)");
        int rowsPerCommit = Math.max(1, rate * INTERVAL_MILLIS / 1000);
        int commits = (WARMUP_SECONDS + seconds) * 1000 / INTERVAL_MILLIS;
        int warmupCommits = WARMUP_SECONDS * 1000 / INTERVAL_MILLIS;
        AtomicLongArray committedAt = new AtomicLongArray(commits);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong received = new AtomicLong();
        AtomicLong early = new AtomicLong();
        long expected = (long) commits * rowsPerCommit;
        AtomicLong probesSeen = new AtomicLong();
        try (AutoCloseable running = consumer.start(server, "bench", TABLE, serverId, id -> {
            long now = System.nanoTime();
            if (id < 0) {
                probesSeen.incrementAndGet();
                return;
            }
            int commit = (int) (id / rowsPerCommit);
            long committed = committedAt.get(commit);
            if (commit >= warmupCommits) {
                long micros = latencyMicros(committed, now);
                if (micros < 0) {
                    early.incrementAndGet();
                    histogram.recordValue(0);
                } else {
                    histogram.recordValue(Math.min(histogram.getHighestTrackableValue(), micros));
                }
            }
            received.incrementAndGet();
        })) {
            awaitStreaming(server, probesSeen);
            double achieved;
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                long start = System.nanoTime();
                for (int commit = 0; commit < commits; commit++) {
                    long due = start + TimeUnit.MILLISECONDS.toNanos((long) commit * INTERVAL_MILLIS);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    statement.execute(insert(commit, rowsPerCommit));
                    committedAt.set(commit, System.nanoTime());
                }
                long measuredNanos = System.nanoTime() - start;
                achieved = expected * 1e9 / measuredNanos;
            } catch (SQLException e) {
                throw new IllegalStateException("Latency writer on " + server + " failed: " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (received.get() < expected) {
                return new Result(server.label(), consumer.id(), rate, null, 0, achieved, "received " + received.get()
                        + " of " + expected + " rows within 60 s of the last commit");
            }
            return new Result(server.label(), consumer.id(), rate, histogram, early.get(), achieved, null);
        }
    }

    /**
     * A consumer started "at the end" is there only once it streams: probe rows (negative ids) are written until
     * one reaches the listener.
     */
    private static void awaitStreaming(BenchServer server, AtomicLong probesSeen) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int probe = 1; probesSeen.get() == 0; probe++) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No probe row reached the listener within 60 s");
            }
            server.execute("INSERT INTO bench." + TABLE + " VALUES (" + -probe + ", 'probe')");
            for (int i = 0; i < 50 && probesSeen.get() == 0; i++) {
                Thread.sleep(20);
            }
        }
    }

    private static String insert(int commit, int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO bench." + TABLE + " VALUES ");
        long first = (long) commit * rows;
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append('(').append(first + i).append(",'row ").append(first + i).append("')");
        }
        return sql.toString();
    }

    static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    public static String markdown(List<Result> results, int seconds) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "## Commit-to-listener latency (%d s measured after %d s warm-up; commits every %d ms)%n%n",
                seconds, WARMUP_SECONDS, INTERVAL_MILLIS));
        out.append("| server | consumer | target rows/s | achieved rows/s | p50 ms | p99 ms | p99.9 ms | max ms | rows before commit returned |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            if (r.error() != null) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %,d | | %s | | | | |%n", r.server(), r.consumer(),
                        r.rowsPerSecond(), r.error().replace('|', '/')));
            } else {
                out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.2f | %,d |%n",
                        r.server(), r.consumer(), r.rowsPerSecond(), r.achievedRowsPerSecond(), ms(r.histogram(), 50),
                        ms(r.histogram(), 99), ms(r.histogram(), 99.9), r.histogram().getMaxValue() / 1000.0, r.early()));
            }
        }
        return out.toString();
    }

    /** Target: p99 ≤ 5 ms for our binlog source at 10,000 rows/s. */
    public static String target(List<Result> results) {
        StringBuilder out = new StringBuilder();
        for (Result r : results) {
            if (r.consumer().equals("1-ours-binlog") && r.rowsPerSecond() == 10_000) {
                out.append(r.error() != null ? String.format(Locale.ROOT, "- %s: p99 at 10,000 rows/s ≤ 5 ms: not measured (%s)%n", r.server(), r.error())
                        : String.format(Locale.ROOT, "- %s: p99 at 10,000 rows/s ≤ 5 ms: %.2f ms %s%n", r.server(),
                        ms(r.histogram(), 99), ms(r.histogram(), 99) <= 5 ? "HIT" : "MISS"));
            }
        }
        return out.toString();
    }
}
