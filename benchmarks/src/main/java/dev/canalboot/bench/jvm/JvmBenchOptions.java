package dev.canalboot.bench.jvm;

import dev.canalboot.bench.BenchOptions;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.workload.Workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.canalboot.bench.BenchOptions.list;
import static dev.canalboot.bench.BenchOptions.take;

/**
 * Command line of the separate-JVM harness: {@code --name=value} pairs, see {@link #USAGE}. An unknown option or a
 * bad value is an error naming it.
 *
 * @param servers what {@code Servers.start} needs (servers to run on, external ones)
 */
public record JvmBenchOptions(double scale, BenchOptions servers, List<Workload> workloads, List<String> contenders,
                              int coldRuns, long coldRows, int warmups, int runs, List<String> childJvm, boolean jfr,
                              Path outDir) {

    public static final String USAGE = """
            Options (all optional):
              --scale=1                 workload size factor (1 = 1,000,000 narrow / 200,000 wide / 500,000 updates)
              --servers=mysql,mariadb   embedded servers to run on
              --mysql=host:port:user:password    use this MySQL instead of an embedded one (same for --mariadb=)
              --workloads=narrow,wide,updates
              --contenders=1,3-fast,3-default,7,6   ids or their numbers (1a: ours with RowDecoding.ADAPTIVE, only when named)
              --cold-runs=3             fresh child JVMs per contender, each reading the first --cold-rows rows
              --cold-rows=1000000       rows of a cold run (× --scale; the binlog is read again until reached)
              --warmups=5 --runs=5      passes over the binlog in each contender's long-lived child JVM
              --child-jvm=-Xmx1g        options of every child JVM, separated by commas
              --jfr=false               each child JVM records a flight recording (settings=profile) to out-dir/jfr
              --out-dir=target/jvm-bench   tables, CSV curves and charts (relative to benchmarks/)
            """;

    public static JvmBenchOptions parse(String... args) {
        Map<String, String> values = BenchOptions.arguments(USAGE, args);
        double scale = BenchOptions.scale(values);
        List<String> serverArgs = new ArrayList<>(List.of("--servers=" + take(values, "servers", "mysql,mariadb")));
        for (String external : List.of("mysql", "mariadb")) {
            String spec = values.remove(external);
            if (spec != null) {
                serverArgs.add("--" + external + "=" + spec);
            }
        }
        BenchOptions servers = BenchOptions.parse(serverArgs.toArray(String[]::new));
        List<Workload> workloads = new ArrayList<>();
        for (String name : list(take(values, "workloads", "narrow,wide,updates"))) {
            workloads.add(Workload.valueOf(name.toUpperCase(Locale.ROOT)));
        }
        List<String> contenders = new ArrayList<>();
        for (String wanted : list(take(values, "contenders", "1,3-fast,3-default,7,6"))) {
            List<String> matching = JvmContenders.all().stream()
                    .filter(id -> id.equals(wanted) || id.startsWith(wanted + "-")).toList();
            if (matching.isEmpty()) {
                throw new IllegalArgumentException("--contenders names '" + wanted + "', which is none of "
                        + JvmContenders.all());
            }
            matching.stream().filter(id -> !contenders.contains(id)).forEach(contenders::add);
        }
        contenders.sort((a, b) -> JvmContenders.all().indexOf(a) - JvmContenders.all().indexOf(b));
        int coldRuns = nonNegative("cold-runs", take(values, "cold-runs", "3"));
        long coldRows = Math.max(1, Math.round(Long.parseLong(take(values, "cold-rows", "1000000")) * scale));
        int warmups = nonNegative("warmups", take(values, "warmups", "5"));
        int runs = nonNegative("runs", take(values, "runs", "5"));
        List<String> childJvm = list(take(values, "child-jvm", "-Xmx1g"));
        boolean jfr = Boolean.parseBoolean(take(values, "jfr", "false"));
        Path outDir = Path.of(take(values, "out-dir", "target/jvm-bench"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s) " + values.keySet() + "\n" + USAGE);
        }
        return new JvmBenchOptions(scale, servers, workloads, List.copyOf(contenders), coldRuns, coldRows, warmups,
                runs, childJvm, jfr, outDir);
    }

    /** The child JVM's options; with {@code --jfr}, a flight recording of its whole life to {@code jfrFile}. */
    List<String> childJvm(Path jfrFile) {
        if (!jfr) {
            return childJvm;
        }
        List<String> options = new ArrayList<>(childJvm);
        options.add("-XX:StartFlightRecording:settings=profile,filename=" + jfrFile.toAbsolutePath());
        return options;
    }

    private static int nonNegative(String name, String value) {
        int n = Integer.parseInt(value);
        if (n < 0) {
            throw new IllegalArgumentException("--" + name + " must be 0 or more, was " + n);
        }
        return n;
    }
}
