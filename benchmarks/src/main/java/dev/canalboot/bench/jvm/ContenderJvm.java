package dev.canalboot.bench.jvm;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.BinlogPosition;
import dev.canalboot.bench.contender.Contender;
import dev.canalboot.bench.contender.RunContext;
import dev.canalboot.bench.measure.AllocationMeter;
import dev.canalboot.bench.measure.HeapMonitor;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A child JVM running one contender alone. It prints {@code READY}, then obeys commands on stdin:
 * {@code run MIN_ROWS CSV} reads the workload's binlog from its start, again and again, until at least
 * {@code MIN_ROWS} rows reached the listener, and prints one {@link RunReport} line (with {@code CSV} other than
 * {@code -}, it also writes the throughput sampled every {@value #SAMPLE_MILLIS} ms there); {@code exit} ends it.
 * A fresh child given one {@code run} is a cold run; one child given many is the steady state.
 */
public final class ContenderJvm {

    static final long SAMPLE_MILLIS = 100;

    /** Taken first thing: the time from the JVM's start to the first row counts from here. */
    private static final long MAIN_NANOS = System.nanoTime();
    private static final long UPTIME_AT_MAIN_NANOS = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;

    private final Contender contender;
    private final BenchServer server;
    private final GeneratedBinlog binlog;
    private long nextServerId;
    private volatile RunContext current;

    private ContenderJvm(Contender contender, BenchServer server, GeneratedBinlog binlog, long firstServerId) {
        this.contender = contender;
        this.server = server;
        this.binlog = binlog;
        this.nextServerId = firstServerId;
    }

    /**
     * {@code CONTENDER FLAVOR host port user password WORKLOAD rows startFile startPosition endFile endPosition
     * firstServerId}.
     */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        java.util.logging.Logger.getLogger("com.github.shyiko").setLevel(java.util.logging.Level.WARNING);
        // Logging is up before a real application consumes anything: its start-up (logback reading its
        // configuration) is not charged to the contenders that log through SLF4J (ours, Debezium)
        org.slf4j.LoggerFactory.getLogger(ContenderJvm.class).debug("child JVM of {}", args[0]);
        BenchServer server = new BenchServer(BenchServer.Flavor.valueOf(args[1]), "?", args[2],
                Integer.parseInt(args[3]), args[4], args[5], null);
        GeneratedBinlog binlog = new GeneratedBinlog(Workload.valueOf(args[6]), Long.parseLong(args[7]),
                new BinlogPosition(args[8], Long.parseLong(args[9])), new BinlogPosition(args[10], Long.parseLong(args[11])), 0);
        ContenderJvm child = new ContenderJvm(JvmContenders.create(args[0]), server, binlog, Long.parseLong(args[12]));
        System.out.println("READY");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null && !line.equals("exit"); ) {
            String[] command = line.trim().split(" ");
            if (command.length != 3 || !command[0].equals("run")) {
                System.out.println("FAILED unknown command '" + line + "', expected 'run MIN_ROWS CSV' or 'exit'");
                continue;
            }
            RunReport report;
            try {
                report = child.run(Long.parseLong(command[1]), command[2].equals("-") ? null : Path.of(command[2]));
            } catch (Exception | LinkageError e) {
                e.printStackTrace(System.out);
                report = RunReport.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            System.out.println(report.ok() ? report.line() : "FAILED " + report.error().replace('\n', ' '));
        }
        System.exit(0);
    }

    private RunReport run(long minRows, Path csv) throws Exception {
        HeapMonitor.reset();
        Sampler sampler = csv == null ? null : new Sampler();
        long rows = 0;
        long allocated = 0;
        long firstRow = 0;
        int passes = 0;
        long cpuStart = AllocationMeter.processCpuNanos();
        long start = System.nanoTime();
        long end = start;
        long cpuEnd = cpuStart;
        if (sampler != null) {
            sampler.start(start, cpuStart);
        }
        try {
            while (rows < minRows) {
                Duration timeout = Duration.ofSeconds(120 + binlog.rows() / 5_000);
                RunContext context = new RunContext(server, binlog, nextServerId++, timeout);
                long passCpuStart = AllocationMeter.processCpuNanos();
                context.startAllocationMeter();
                current = context;
                contender.run(context);
                if (!context.isDone() || context.failure() != null) {
                    throw new IllegalStateException("the contender returned after " + context.deliveredRows() + " of "
                            + binlog.rows() + " rows");
                }
                if (firstRow == 0) {
                    firstRow = context.firstRowNanos();
                    // For profiling by hand; the harness reads only the RESULT line
                    System.out.println("FIRST_ROW_CPU nanos=" + context.firstRowCpuNanos() + " threads="
                            + threadCpuMillis());
                }
                rows += binlog.rows();
                allocated += context.endAllocatedBytes();
                end = context.endNanos();
                cpuEnd = passCpuStart + context.endCpuNanos();
                passes++;
                current = null;
                completedRows = rows;
            }
        } finally {
            if (sampler != null) {
                sampler.stop(csv);
            }
        }
        return new RunReport(rows, end - start, cpuEnd - cpuStart, allocated, HeapMonitor.peakBytes(),
                firstRow - start, UPTIME_AT_MAIN_NANOS + firstRow - MAIN_NANOS, passes, null);
    }

    /**
     * CPU milliseconds of the process's threads so far, summed by name with digits dropped (C2 compiler threads,
     * GC, the contender's threads), from /proc; empty where there is no /proc.
     */
    private static String threadCpuMillis() {
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (java.io.IOException ended) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]", "")
                        .replace(' ', '_');
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                byName.merge(name, ticks * 10, Long::sum);
            }
        } catch (java.io.IOException | RuntimeException e) {
            return e.toString().replace(' ', '_');
        }
        StringBuilder out = new StringBuilder();
        byName.forEach((name, millis) -> out.append(out.isEmpty() ? "" : ",").append(name).append(':').append(millis));
        return out.toString();
    }

    /** Rows of the passes finished so far in the current run (the sampler adds the current pass's). */
    private volatile long completedRows;

    private long deliveredSoFar() {
        RunContext context = current;
        return completedRows + (context == null ? 0 : Math.min(context.deliveredRows(), binlog.rows()));
    }

    /** Every {@value #SAMPLE_MILLIS} ms: time, rows delivered, process CPU and heap in use since the run's start. */
    private final class Sampler {

        private final List<long[]> samples = new ArrayList<>();
        private Thread thread;

        private long startNanos;
        private long cpuStartNanos;

        void start(long startNanos, long cpuStartNanos) {
            this.startNanos = startNanos;
            this.cpuStartNanos = cpuStartNanos;
            completedRows = 0;
            thread = new Thread(() -> {
                long next = startNanos;
                while (!Thread.currentThread().isInterrupted()) {
                    sample();
                    next += SAMPLE_MILLIS * 1_000_000;
                    try {
                        Thread.sleep(Math.max(1, (next - System.nanoTime()) / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "throughput-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample() {
            samples.add(new long[]{System.nanoTime() - startNanos, deliveredSoFar(),
                    AllocationMeter.processCpuNanos() - cpuStartNanos, HeapMonitor.currentBytes()});
        }

        /** Stops sampling, takes a last sample (every row delivered) and writes the CSV. */
        void stop(Path csv) throws Exception {
            thread.interrupt();
            thread.join();
            sample();
            StringBuilder out = new StringBuilder("ms,rows,rows_per_s,cpu_ms,heap_mb\n");
            long[] previous = {0, 0, 0, 0};
            for (long[] s : samples) {
                double seconds = (s[0] - previous[0]) / 1e9;
                out.append(String.format(Locale.ROOT, "%d,%d,%.0f,%d,%d%n", s[0] / 1_000_000, s[1],
                        seconds > 0 ? (s[1] - previous[1]) / seconds : 0.0, s[2] / 1_000_000, s[3] >> 20));
                previous = s;
            }
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.writeString(csv, out);
        }
    }
}
