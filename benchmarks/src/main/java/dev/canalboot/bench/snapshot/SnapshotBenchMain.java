package dev.canalboot.bench.snapshot;

import dev.canalboot.bench.BenchOptions;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.Servers;
import dev.canalboot.bench.jvm.ChildClassPath;
import dev.canalboot.bench.jvm.JvmContenders;
import dev.canalboot.bench.workload.Workload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot benchmark of issue 18: on one MySQL 8.0.31, the narrow (1,000,000 rows × {@code --scale}) and wide
 * (200,000 × {@code --scale}) tables of the binlog benchmarks are read once each by three contenders, each run in a
 * fresh JVM of its own ({@link SnapshotContenderMain}; Debezium's child gets Debezium's binlog connector fork only,
 * the others none of Debezium's jars): our snapshot ({@code ours}), a plain {@code SELECT *} drained through
 * Connector/J with a streaming result set ({@code jdbc}, the limit for one connection), and Debezium 3.6.1.Final's
 * embedded initial snapshot ({@code debezium}). Rounds alternate the contenders; per table and contender the median
 * run by rows/s is reported with CPU µs per row (the child's process CPU), and ours as a ratio of the other two.
 * Prints the table and writes it to {@code --out}.
 * <p>
 * {@code ./mvnw -B -pl benchmarks -am -DskipTests -Psnapshot-bench package -Dsnapshot-bench.args="--runs=3"}
 */
public final class SnapshotBenchMain {

    static final String USAGE = """
            Options (all optional):
              --scale=1                 1 = 1,000,000 narrow / 200,000 wide rows
              --mysql=host:port:user:password    use this MySQL instead of the embedded 8.0.31
              --workloads=narrow,wide
              --contenders=ours,jdbc,debezium
              --runs=1                  rounds (every contender once per round); the median run is reported
              --child-jvm=-Xmx1g        options of each contender's JVM
              --chunk-size=N            our snapshot's chunk size (default: the library's default)
              --out=target/snapshot-bench/snapshot-results.md
            """;

    /** One contender's run over one table. */
    public record Run(String workload, String contender, long rows, double seconds, double cpuSeconds) {
        public double rowsPerSecond() {
            return rows / seconds;
        }

        public double cpuMicrosPerRow() {
            return cpuSeconds * 1e6 / rows;
        }
    }

    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** Runs the benchmark as {@link #main} does; returns every run. */
    public static List<Run> run(String... args) throws Exception {
        Map<String, String> values = BenchOptions.arguments(USAGE, args);
        double scale = BenchOptions.scale(values);
        String mysql = values.remove("mysql");
        List<Workload> workloads = BenchOptions.list(BenchOptions.take(values, "workloads", "narrow,wide")).stream()
                .map(w -> Workload.valueOf(w.toUpperCase(Locale.ROOT))).toList();
        List<String> contenders = BenchOptions.list(BenchOptions.take(values, "contenders", "ours,jdbc,debezium"));
        int runs = Integer.parseInt(BenchOptions.take(values, "runs", "1"));
        String childJvm = BenchOptions.take(values, "child-jvm", "-Xmx1g");
        String chunkSize = values.remove("chunk-size");
        if (chunkSize != null) {
            childJvm += " -D" + SnapshotContenderMain.CHUNK_SIZE_PROPERTY + "=" + Integer.parseInt(chunkSize);
        }
        Path out = Path.of(BenchOptions.take(values, "out", "target/snapshot-bench/snapshot-results.md"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s) " + values.keySet() + "\n" + USAGE);
        }
        List<String> serverArgs = new ArrayList<>(List.of("--servers=mysql"));
        if (mysql != null) {
            serverArgs.add("--mysql=" + mysql);
        }
        List<Run> results = new ArrayList<>();
        try (BenchServer server = Servers.start(BenchServer.Flavor.MYSQL, BenchOptions.parse(serverArgs.toArray(String[]::new)))) {
            for (Workload workload : workloads) {
                long rows = workload.rows(scale);
                long started = System.nanoTime();
                workload.generate(server, rows);
                System.out.printf("%s: %,d rows written in %.1f s%n", workload.qualifiedTable(), rows,
                        (System.nanoTime() - started) / 1e9);
                for (int round = 0; round < runs; round++) {
                    for (String contender : contenders) {
                        Run run = run(server, workload, contender, rows, childJvm);
                        System.out.printf(Locale.ROOT, "  round %d %-8s %,d rows in %.2f s: %,.0f rows/s, %.2f CPU µs/row%n",
                                round + 1, contender, run.rows(), run.seconds(), run.rowsPerSecond(), run.cpuMicrosPerRow());
                        results.add(run);
                    }
                }
            }
            String markdown = markdown(server.label(), results);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, markdown);
            System.out.println(markdown);
        }
        return results;
    }

    /** Starts the contender's JVM, waits for its RESULT line and checks that it read every row. */
    static Run run(BenchServer server, Workload workload, String contender, long rows, String childJvm) throws Exception {
        Path output = Files.createTempFile("snapshot-bench-" + contender, ".out");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(childJvm.trim().split("\\s+")));
        command.addAll(List.of("-cp", ChildClassPath.of("debezium".equals(contender) ? JvmContenders.DEBEZIUM : contender),
                SnapshotContenderMain.class.getName(), contender, server.host(), String.valueOf(server.port()),
                server.user(), server.password(), Workload.SCHEMA, workload.table(), String.valueOf(rows)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(120 + rows / 2_000, TimeUnit.SECONDS)) { // a loaded machine starts Debezium slowly
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(contender + " did not finish " + workload.label() + " in time; output:\n"
                    + tail(output));
        }
        String result = Files.readAllLines(output).stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(contender + " printed no RESULT (exit "
                        + process.exitValue() + "); output:\n" + tail(output)));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : result.substring(7).split(" ")) {
            fields.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
        }
        long read = Long.parseLong(fields.get("rows"));
        if (read != rows) {
            throw new IllegalStateException(contender + " read " + read + " of " + rows + " rows of " + workload.label());
        }
        Files.deleteIfExists(output);
        return new Run(workload.label(), contender, read, Long.parseLong(fields.get("nanos")) / 1e9,
                Long.parseLong(fields.get("cpuNanos")) / 1e9);
    }

    /** Per table and contender the median run by rows/s; ours as a ratio of the others' medians. */
    static String markdown(String server, List<Run> runs) {
        Map<String, Map<String, List<Run>>> byWorkload = new LinkedHashMap<>();
        runs.forEach(r -> byWorkload.computeIfAbsent(r.workload(), k -> new LinkedHashMap<>())
                .computeIfAbsent(r.contender(), k -> new ArrayList<>()).add(r));
        StringBuilder md = new StringBuilder("Snapshot benchmark on " + server + "\n\n"
                + "| table | contender | rows | median rows/s | CPU µs/row | ours ÷ this (rows/s) | this ÷ ours (CPU/row) | runs (rows/s) |\n"
                + "|---|---|---:|---:|---:|---:|---:|---|\n");
        byWorkload.forEach((workload, byContender) -> {
            Run ours = byContender.containsKey("ours") ? median(byContender.get("ours")) : null;
            byContender.forEach((contender, list) -> {
                Run median = median(list);
                md.append("| ").append(workload).append(" | ").append(contender).append(" | ")
                        .append(String.format(Locale.ROOT, "%,d", median.rows())).append(" | ")
                        .append(String.format(Locale.ROOT, "%,.0f", median.rowsPerSecond())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", median.cpuMicrosPerRow())).append(" | ")
                        .append(ours == null ? "–" : String.format(Locale.ROOT, "%.2f", ours.rowsPerSecond() / median.rowsPerSecond()))
                        .append(" | ")
                        .append(ours == null ? "–" : String.format(Locale.ROOT, "%.2f", median.cpuMicrosPerRow() / ours.cpuMicrosPerRow()))
                        .append(" | ").append(String.join(", ", list.stream()
                                .map(r -> String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond())).toList()))
                        .append(" |\n");
            });
        });
        return md.toString();
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = runs.stream().sorted(Comparator.comparingDouble(Run::rowsPerSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String tail(Path output) {
        try {
            String text = Files.readString(output);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
