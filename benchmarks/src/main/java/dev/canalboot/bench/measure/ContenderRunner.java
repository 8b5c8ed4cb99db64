package dev.canalboot.bench.measure;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.contender.Contender;
import dev.canalboot.bench.contender.RunContext;
import dev.canalboot.bench.workload.GeneratedBinlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs the contenders over one binlog: warm-up runs, then measured runs; reports each one's median measured run. */
public final class ContenderRunner {

    private static long nextReplicaServerId = 1000;

    private final int warmups;
    private final int runs;

    public ContenderRunner(int warmups, int runs) {
        this.warmups = warmups;
        this.runs = Math.max(1, runs);
    }

    /**
     * Measures every contender over one binlog in rounds: all warm-ups first, then each round runs every
     * contender once. The machine's speed drifts over minutes (on a shared VM by up to 2×); in rounds every
     * contender meets the same drift, so the ratios of the medians hold better than when one contender's runs
     * all come before the next one's.
     */
    public List<Measurement> measureInRounds(List<Contender> contenders, BenchServer server, GeneratedBinlog binlog) {
        java.util.Map<Contender, List<Measurement>> measured = new java.util.LinkedHashMap<>();
        java.util.Map<Contender, Measurement> failed = new java.util.HashMap<>();
        for (Contender contender : contenders) {
            String why = contender.unavailableReason(server);
            if (why != null) {
                failed.put(contender, Measurement.absent(server.label(), binlog.workload().label(), contender.id(), why));
            }
            measured.put(contender, new ArrayList<>());
        }
        for (int round = 0; round < warmups + runs; round++) {
            for (Contender contender : contenders) {
                if (failed.containsKey(contender)) {
                    continue;
                }
                Measurement m = once(contender, server, binlog);
                log("%s %s %s %s: %s", server.label(), binlog.workload().label(), contender.id(),
                        round < warmups ? "warm-up" : "run " + (round - warmups + 1), describe(m));
                if (!m.ok()) {
                    failed.put(contender, m);
                } else if (round >= warmups) {
                    measured.get(contender).add(m);
                }
            }
        }
        List<Measurement> results = new ArrayList<>();
        for (Contender contender : contenders) {
            results.add(failed.containsKey(contender) ? failed.get(contender) : median(measured.get(contender)));
        }
        return results;
    }

    private static String describe(Measurement m) {
        return m.ok() ? String.format("%,.0f rows/s, %.2f CPU µs/row, %,.0f B/row, peak heap %,d MB",
                m.rowsPerSecond(), m.cpuMicrosPerRow(), m.allocatedBytesPerRow(), m.peakHeapBytes() >> 20) : m.error();
    }

    /** The median run, carrying the rows/s of every round in round order. */
    private static Measurement median(List<Measurement> measured) {
        List<Double> rounds = measured.stream().map(Measurement::rowsPerSecond).toList();
        List<Measurement> sorted = new ArrayList<>(measured);
        sorted.sort(Comparator.comparingDouble(Measurement::rowsPerSecond));
        return sorted.get(sorted.size() / 2).withRounds(rounds);
    }

    private static Measurement once(Contender contender, BenchServer server, GeneratedBinlog binlog) {
        // Generous: the slowest peer reads well over 5,000 rows/s even on a loaded machine.
        Duration timeout = Duration.ofSeconds(120 + binlog.rows() / 5_000);
        RunContext context = new RunContext(server, binlog, nextReplicaServerId++, timeout);
        HeapMonitor.reset();
        context.startAllocationMeter();
        long started = System.nanoTime();
        try {
            contender.run(context);
            if (!context.isDone() || context.failure() != null) {
                throw new IllegalStateException("returned after " + context.deliveredRows() + " of "
                        + binlog.rows() + " rows");
            }
        } catch (Exception | LinkageError e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            log("%s failed on %s %s: %s", contender.id(), server.label(), binlog.workload().label(), message);
            e.printStackTrace(System.err);
            return Measurement.absent(server.label(), binlog.workload().label(), contender.id(), "failed: " + message);
        }
        return new Measurement(server.label(), binlog.workload().label(), contender.id(), binlog.rows(),
                context.endNanos() - started, context.endAllocatedBytes(), HeapMonitor.peakBytes(), context.endCpuNanos(),
                null, List.of());
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
