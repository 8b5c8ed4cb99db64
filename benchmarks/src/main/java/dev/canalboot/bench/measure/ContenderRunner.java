package dev.canalboot.bench.measure;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.contender.Contender;
import dev.canalboot.bench.contender.RunContext;
import dev.canalboot.bench.workload.GeneratedBinlog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs one contender over one binlog: warm-up runs, then measured runs; reports the median measured run. */
public final class ContenderRunner {

    private static long nextReplicaServerId = 1000;

    private final int warmups;
    private final int runs;

    public ContenderRunner(int warmups, int runs) {
        this.warmups = warmups;
        this.runs = Math.max(1, runs);
    }

    public Measurement measure(Contender contender, BenchServer server, GeneratedBinlog binlog) {
        String why = contender.unavailableReason(server);
        if (why != null) {
            return Measurement.absent(server.label(), binlog.workload().label(), contender.id(), why);
        }
        List<Measurement> measured = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++) {
            Measurement m = once(contender, server, binlog);
            log("%s %s %s %s: %s", server.label(), binlog.workload().label(), contender.id(),
                    i < warmups ? "warm-up" : "run " + (i - warmups + 1),
                    m.ok() ? String.format("%,.0f rows/s, %.2f CPU µs/row, %,.0f B/row, peak heap %,d MB",
                            m.rowsPerSecond(), m.cpuMicrosPerRow(), m.allocatedBytesPerRow(), m.peakHeapBytes() >> 20)
                            : m.error());
            if (!m.ok()) {
                return m;
            }
            if (i >= warmups) {
                measured.add(m);
            }
        }
        measured.sort(Comparator.comparingDouble(Measurement::rowsPerSecond));
        return measured.get(measured.size() / 2);
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
                null);
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
