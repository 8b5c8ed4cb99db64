package dev.canalboot.bench;

import dev.canalboot.bench.contender.OurBinlogContender;
import dev.canalboot.bench.contender.RunContext;
import dev.canalboot.bench.measure.HeapMonitor;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One transaction of millions of rows read by our binlog source (contender 1's set-up) in a separate JVM with
 * {@value #HEAP} heap: it must stream through, not be held. The parent generates the transaction and starts the
 * child; the child prints one {@code RESULT} line.
 */
public final class BigTransaction {

    static final String HEAP = "-Xmx256m";

    private BigTransaction() {
    }

    /** A child run's outcome. */
    public record Result(String server, long rows, long nanos, long peakHeapBytes, long collections,
                         long binlogBytes, String error) {
    }

    public static Result run(BenchServer server, long rows) {
        GeneratedBinlog binlog = Workload.generateSingleTransaction(server, rows);
        long binlogBytes = binlog.end().file().equals(binlog.start().file())
                ? binlog.end().position() - binlog.start().position() : -1;
        System.out.printf(Locale.ROOT, "[bench] %s: one transaction of %,d rows written in %.1f s (%,d binlog bytes)%n",
                server.label(), rows, binlog.generationNanos() / 1e9, binlogBytes);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-cp", System.getProperty("java.class.path"), BigTransaction.class.getName(),
                server.flavor().name(), server.host(), Integer.toString(server.port()), server.user(), server.password(),
                binlog.start().file(), Long.toString(binlog.start().position()), Long.toString(rows));
        Deque<String> tail = new ArrayDeque<>();
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String resultLine = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("RESULT ")) {
                        resultLine = line;
                    }
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
            if (!child.waitFor(30, TimeUnit.MINUTES)) {
                child.destroyForcibly();
                return failed(server, rows, binlogBytes, "the child JVM did not end within 30 minutes");
            }
            if (child.exitValue() != 0 || resultLine == null) {
                return failed(server, rows, binlogBytes, "the child JVM exited with " + child.exitValue() + ": "
                        + String.join(" / ", tail));
            }
            String[] f = resultLine.split(" ");
            return new Result(server.label(), rows, Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    binlogBytes, null);
        } catch (Exception e) {
            return failed(server, rows, binlogBytes, e.toString());
        }
    }

    private static Result failed(String server, long rows, long binlogBytes, String why) {
        System.out.println("[bench] big transaction failed: " + why);
        return new Result(server, rows, 0, 0, 0, binlogBytes, "failed: " + why);
    }

    private static Result failed(BenchServer server, long rows, long binlogBytes, String why) {
        return failed(server.label(), rows, binlogBytes, why);
    }

    /** Child: {@code FLAVOR host port user password file position rows}. */
    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
        BenchServer server = new BenchServer(BenchServer.Flavor.valueOf(args[0]), "?", args[1],
                Integer.parseInt(args[2]), args[3], args[4], null);
        BinlogPosition start = new BinlogPosition(args[5], Long.parseLong(args[6]));
        long rows = Long.parseLong(args[7]);
        GeneratedBinlog binlog = new GeneratedBinlog(Workload.NARROW, rows, start, start, 0);
        RunContext context = new RunContext(server, binlog, 4000, Duration.ofMinutes(20));
        HeapMonitor.reset();
        long started = System.nanoTime();
        new OurBinlogContender(true).run(context);
        System.out.println("RESULT " + (context.endNanos() - started) + " " + HeapMonitor.peakBytes() + " "
                + HeapMonitor.collections());
        System.exit(0);
    }

    public static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder("## One large transaction, our binlog source in a " + HEAP + " JVM\n\n");
        out.append("| server | rows in the transaction | binlog MB | rows/s | peak heap MB | GCs | result |\n");
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Result r : results) {
            out.append(r.error() != null
                    ? String.format(Locale.ROOT, "| %s | %,d | %,d | | | | %s |%n", r.server(), r.rows(),
                    r.binlogBytes() >> 20, r.error().replace('|', '/'))
                    : String.format(Locale.ROOT, "| %s | %,d | %,d | %,.0f | %,d | %,d | every row delivered |%n",
                    r.server(), r.rows(), r.binlogBytes() >> 20, r.rows() * 1e9 / r.nanos(), r.peakHeapBytes() >> 20,
                    r.collections()));
        }
        return out.toString();
    }

}
