package dev.canalboot.bench.jvm;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.Servers;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The separate-JVM harness: for each server and workload, generate the binlog once, then measure each contender
 * alone in its own child JVM ({@link ContenderJvm}): cold runs, each in a fresh JVM reading the first
 * {@code --cold-rows} rows, and the steady state, in one long-lived JVM per contender reading the binlog pass
 * after pass. Both go in rounds (every contender once per round) so that the machine's drift hits all alike.
 * See {@code benchmarks/README.md}, "Separate JVMs".
 */
public final class JvmBenchMain {

    static {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
    }

    private JvmBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        JvmBenchOptions options = JvmBenchOptions.parse(args);
        JvmReport report = run(options);
        System.out.println();
        System.out.println(report.markdown());
        System.exit(report.complete() ? 0 : 1);
    }

    /** Runs everything the options ask for; writes the tables, the CSV curves and the charts to the out dir. */
    public static JvmReport run(JvmBenchOptions options) throws Exception {
        Path outDir = outDir(options);
        Files.createDirectories(outDir.resolve("jfr"));
        List<Outcome> outcomes = new ArrayList<>();
        long serverIds = 10_000;
        for (BenchServer.Flavor flavor : options.servers().servers()) {
            try (BenchServer server = Servers.start(flavor, options.servers())) {
                log("%s started at %s:%d", server.label(), server.host(), server.port());
                for (Workload workload : options.workloads()) {
                    GeneratedBinlog binlog = workload.generate(server, workload.rows(options.scale()));
                    log("%s %s: %,d rows generated in %.1f s", server.label(), workload.label(), binlog.rows(),
                            binlog.generationNanos() / 1e9);
                    Map<String, Outcome> byContender = new LinkedHashMap<>();
                    for (String id : options.contenders()) {
                        Outcome outcome = new Outcome(server.label(), workload.label(), id);
                        String why = JvmContenders.create(id).unavailableReason(server);
                        if (why != null) {
                            outcome.absent(why);
                        }
                        byContender.put(id, outcome);
                    }
                    String prefix = flavor.name().toLowerCase(Locale.ROOT) + "-" + workload.label();
                    serverIds = cold(options, server, binlog, byContender, outDir.resolve("csv"), prefix, serverIds);
                    serverIds = steady(options, server, binlog, byContender, prefix, serverIds);
                    outcomes.addAll(byContender.values());
                    if (options.coldRuns() > 0) {
                        Path chart = outDir.resolve(prefix + "-cold.png");
                        ColdCurveChart.write(chart, server.label() + " " + workload.label() + ": first "
                                + String.format(Locale.ROOT, "%,d", options.coldRows()) + " rows from a cold JVM",
                                byContender.values());
                        log("chart written to %s", chart);
                    }
                }
            }
        }
        JvmReport report = new JvmReport(options, outcomes);
        Files.writeString(outDir.resolve("jvm-bench-results.md"), report.markdown());
        log("tables written to %s", outDir.resolve("jvm-bench-results.md"));
        return report;
    }

    /** Each round starts a fresh child JVM per contender, one after the other, for one cold run each. */
    private static long cold(JvmBenchOptions options, BenchServer server, GeneratedBinlog binlog,
                             Map<String, Outcome> outcomes, Path csvDir, String prefix, long serverIds) {
        for (int round = 1; round <= options.coldRuns(); round++) {
            for (Outcome outcome : outcomes.values()) {
                if (!outcome.ok()) {
                    continue;
                }
                Path csv = csvDir.resolve(prefix + "-" + outcome.contender() + "-cold" + round + ".csv");
                RunReport report;
                List<String> jvm = options.childJvm(outDir(options).resolve("jfr/" + prefix + "-" + outcome.contender()
                        + "-cold" + round + ".jfr"));
                try (ChildJvm child = ChildJvm.start(outcome.contender(), server, binlog, serverIds, jvm)) {
                    report = child.run(options.coldRows(), csv, timeout(options.coldRows()));
                } catch (Exception e) {
                    report = RunReport.failed(e.getMessage());
                }
                serverIds += 1_000;
                record(outcome, report, outcome.cold, "cold " + round);
                if (report.ok()) {
                    outcome.coldCurves.add(csv);
                }
            }
        }
        return serverIds;
    }

    /** One long-lived child JVM per contender, all alive at once; each round asks every one for one pass. */
    private static long steady(JvmBenchOptions options, BenchServer server, GeneratedBinlog binlog,
                               Map<String, Outcome> outcomes, String prefix, long serverIds) {
        if (options.runs() == 0) {
            return serverIds;
        }
        Map<Outcome, ChildJvm> children = new LinkedHashMap<>();
        try {
            for (Outcome outcome : outcomes.values()) {
                if (outcome.ok()) {
                    try {
                        List<String> jvm = options.childJvm(outDir(options).resolve("jfr/" + prefix + "-"
                                + outcome.contender() + "-steady.jfr"));
                        children.put(outcome, ChildJvm.start(outcome.contender(), server, binlog, serverIds, jvm));
                    } catch (Exception e) {
                        outcome.fail("steady child JVM: " + e.getMessage());
                    }
                    serverIds += 1_000;
                }
            }
            for (int round = 1; round <= options.warmups() + options.runs(); round++) {
                boolean warmup = round <= options.warmups();
                for (Map.Entry<Outcome, ChildJvm> entry : children.entrySet()) {
                    Outcome outcome = entry.getKey();
                    if (!outcome.ok()) {
                        continue;
                    }
                    RunReport report = entry.getValue().run(binlog.rows(), null, timeout(binlog.rows()));
                    record(outcome, report, warmup ? new ArrayList<>() : outcome.steady,
                            warmup ? "steady warm-up " + round : "steady " + (round - options.warmups()));
                }
            }
        } finally {
            children.values().forEach(ChildJvm::close);
        }
        return serverIds;
    }

    private static void record(Outcome outcome, RunReport report, List<RunReport> into, String what) {
        if (report.ok()) {
            into.add(report);
            log("%s %s %s %s: %,.0f rows/s, %.2f CPU µs/row, %,.0f B/row, peak heap %,d MB, first row after %.0f ms",
                    outcome.server(), outcome.workload(), outcome.contender(), what, report.rowsPerSecond(),
                    report.cpuMicrosPerRow(), report.allocatedBytesPerRow(), report.peakHeapBytes() >> 20,
                    report.firstRowNanos() / 1e6);
        } else {
            outcome.fail(what + ": " + report.error());
            log("%s %s %s %s failed: %s", outcome.server(), outcome.workload(), outcome.contender(), what, report.error());
        }
    }

    private static Path outDir(JvmBenchOptions options) {
        return options.outDir().toAbsolutePath();
    }

    /** Generous (it only ends a hung child): the slowest contender reads well over 1,000 rows/s on a loaded machine. */
    private static Duration timeout(long rows) {
        return Duration.ofSeconds(300 + rows / 1_000);
    }

    static void log(String format, Object... args) {
        System.out.printf("[jvm-bench] " + format + "%n", args);
    }
}
