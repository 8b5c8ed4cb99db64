package dev.canalboot.bench;

import dev.canalboot.bench.contender.Contender;
import dev.canalboot.bench.contender.Contenders;
import dev.canalboot.bench.measure.ContenderRunner;
import dev.canalboot.bench.measure.Measurement;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;

import dev.canalboot.bench.jmh.CapturedEvents;
import dev.canalboot.bench.jmh.DecoderBenchmark;
import dev.canalboot.bench.jmh.JmhSection;
import dev.canalboot.bench.latency.LatencyBench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: for each server and workload, generate the binlog once, then let every contender read
 * it from the start (warm-up, then measured runs), and print one table of rows/s and ratios; then the latency,
 * big-transaction and decoder microbenchmark sections. See {@code benchmarks/README.md}.
 */
public final class BenchMain {

    static {
        // Before any logger exists: the autoconfigure test-jar (Canal test server) brings its own logback-test.xml
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
    }

    /** Held so that the level sticks: the binlog connector logs every connect through java.util.logging. */
    private static final java.util.logging.Logger CONNECTOR_LOG = java.util.logging.Logger.getLogger("com.github.shyiko");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        CONNECTOR_LOG.setLevel(java.util.logging.Level.WARNING);
        Report report = run(options);
        System.out.println();
        System.out.println(report.markdown());
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.writeString(options.out(), report.markdown());
        System.out.println("[bench] tables written to " + options.out().toAbsolutePath());
        System.exit(report.complete() ? 0 : 1);
    }

    /** Runs everything the options ask for. */
    public static Report run(BenchOptions options) throws Exception {
        ResultsTable table = new ResultsTable();
        StringBuilder sections = new StringBuilder();
        String machineAtStart = machine();
        List<Contender> contenders = Contenders.all().stream().filter(c -> options.wants(c.id())).toList();
        ContenderRunner runner = new ContenderRunner(options.warmups(), options.runs());
        Path eventsDir = options.out().toAbsolutePath().getParent().resolve("jmh-events");
        Map<String, Integer> captured = new LinkedHashMap<>();
        List<LatencyBench.Result> latency = new java.util.ArrayList<>();
        List<BigTransaction.Result> big = new java.util.ArrayList<>();
        for (BenchServer.Flavor flavor : options.servers()) {
            try (BenchServer server = Servers.start(flavor, options)) {
                log("%s started at %s:%d", server.label(), server.host(), server.port());
                for (Workload workload : options.workloads()) {
                    GeneratedBinlog binlog = workload.generate(server, workload.rows(options.scale()));
                    log("%s %s: %,d rows generated in %.1f s, binlog %s .. %s", server.label(), workload.label(),
                            binlog.rows(), binlog.generationNanos() / 1e9, binlog.start(), binlog.end());
                    if (options.jmh()) {
                        String name = flavor.name().toLowerCase(Locale.ROOT) + "-" + workload.label();
                        CapturedEvents events = CapturedEvents.capture(server, binlog, 999);
                        events.write(eventsDir.resolve(name + ".events"));
                        captured.put(name, DecoderBenchmark.rowsPerEvent(events));
                    }
                    runner.measureInRounds(contenders, server, binlog).forEach(table::add);
                }
                if (options.bigTransaction()) {
                    big.add(BigTransaction.run(server, Math.max(1_000, Math.round(options.bigTransactionRows() * options.scale()))));
                }
                if (options.latency()) {
                    latency.addAll(LatencyBench.run(server, new int[]{1_000, 10_000}, options.latencySeconds(), 5000));
                }
            }
        }
        if (options.bigTransaction()) {
            sections.append(BigTransaction.markdown(big)).append('\n');
        }
        if (options.latency()) {
            sections.append(LatencyBench.markdown(latency, options.latencySeconds())).append("\nTarget:\n")
                    .append(LatencyBench.target(latency)).append('\n');
        }
        if (options.jmh()) {
            sections.append(JmhSection.run(eventsDir, captured)).append('\n');
        }
        sections.append("Machine: ").append(machineAtStart).append(" at the start; load average ")
                .append(String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append(" at the end.\n");
        return new Report(options, table, latency, big, sections.toString());
    }

    /** The tables of one harness run. */
    public record Report(BenchOptions options, ResultsTable throughput, List<LatencyBench.Result> latency,
                         List<BigTransaction.Result> bigTransactions, String otherSections) {

        /** Whether every contender, latency run and large transaction produced a measurement. */
        public boolean complete() {
            return throughput.measurements().stream().allMatch(Measurement::ok)
                    && latency.stream().allMatch(r -> r.error() == null)
                    && bigTransactions.stream().allMatch(r -> r.error() == null);
        }

        public String markdown() {
            return String.format(Locale.ROOT, "## Throughput (scale %s, %d warm-up + %d measured run(s) each)%n%n%s%n"
                            + "Targets:%n%s%n%s", options.scale(), options.warmups(), options.runs(),
                    throughput.toMarkdown(), throughput.targets(), otherSections);
        }
    }

    /** Cores, memory, JDK and load: what the numbers were taken on. */
    static String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "%d cores, %.1f GiB RAM, %s %s (%s), load average %.1f",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (double) (1L << 30),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), os.getSystemLoadAverage());
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
