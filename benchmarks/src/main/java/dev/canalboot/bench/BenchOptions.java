package dev.canalboot.bench;

import dev.canalboot.bench.workload.Workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command line of the harness: {@code --name=value} pairs, see {@link #USAGE}. An unknown option or a bad value
 * is an error naming it.
 */
public record BenchOptions(double scale, List<BenchServer.Flavor> servers, Map<BenchServer.Flavor, String> external,
                           List<Workload> workloads, List<String> contenders, int warmups, int runs,
                           boolean latency, int latencySeconds, boolean bigTransaction, long bigTransactionRows,
                           boolean jmh, Path out) {

    public static final String USAGE = """
            Options (all optional):
              --scale=1                 workload size factor (1 = 1,000,000 narrow / 200,000 wide / 500,000 updates)
              --servers=mysql,mariadb   embedded servers to run on
              --mysql=host:port:user:password    use this MySQL instead of an embedded one (same for --mariadb=)
              --workloads=narrow,wide,updates
              --contenders=all          or ids/prefixes, e.g. 1,3-fast,6
              --warmups=1 --runs=1      per contender and workload (the median measured run is reported)
              --latency=true --latency-seconds=10   commit-to-listener latency at 1,000 and 10,000 rows/s
              --big-transaction=true --big-transaction-rows=5000000   one transaction (× --scale) read in a -Xmx256m JVM
              --jmh=true                decoder microbenchmarks (JMH, -prof gc)
              --out=benchmarks/target/bench-results.md   where the tables are written as well
            """;

    public static BenchOptions parse(String... args) {
        Map<String, String> values = arguments(USAGE, args);
        double scale = scale(values);
        List<BenchServer.Flavor> servers = new ArrayList<>();
        for (String name : list(take(values, "servers", "mysql,mariadb"))) {
            servers.add(BenchServer.Flavor.valueOf(name.toUpperCase(Locale.ROOT)));
        }
        Map<BenchServer.Flavor, String> external = new LinkedHashMap<>();
        String mysql = values.remove("mysql");
        if (mysql != null) {
            external.put(BenchServer.Flavor.MYSQL, mysql);
        }
        String mariadb = values.remove("mariadb");
        if (mariadb != null) {
            external.put(BenchServer.Flavor.MARIADB, mariadb);
        }
        List<Workload> workloads = new ArrayList<>();
        for (String name : list(take(values, "workloads", "narrow,wide,updates"))) {
            workloads.add(Workload.valueOf(name.toUpperCase(Locale.ROOT)));
        }
        List<String> contenders = list(take(values, "contenders", "all"));
        int warmups = Integer.parseInt(take(values, "warmups", "1"));
        int runs = Integer.parseInt(take(values, "runs", "1"));
        boolean latency = Boolean.parseBoolean(take(values, "latency", "true"));
        int latencySeconds = Integer.parseInt(take(values, "latency-seconds", "10"));
        boolean big = Boolean.parseBoolean(take(values, "big-transaction", "true"));
        long bigRows = Long.parseLong(take(values, "big-transaction-rows", "5000000"));
        boolean jmh = Boolean.parseBoolean(take(values, "jmh", "true"));
        Path out = Path.of(take(values, "out", "target/bench-results.md"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s) " + values.keySet() + "\n" + USAGE);
        }
        return new BenchOptions(scale, servers, external, workloads, contenders, warmups, runs, latency,
                latencySeconds, big, bigRows, jmh, out);
    }

    /** Whether the contender with this id was asked for ({@code all}, its full id or its number). */
    public boolean wants(String contenderId) {
        return contenders.contains("all") && !dev.canalboot.bench.contender.Contenders.onlyWhenNamed(contenderId)
                || contenders.stream()
                .anyMatch(c -> contenderId.equals(c) || contenderId.startsWith(c + "-"));
    }

    /** {@code --name=value} arguments by name, in order; anything else fails naming it, with {@code usage}. */
    public static Map<String, String> arguments(String usage, String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'\n" + usage);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return values;
    }

    /** Takes {@code --scale} (default 1) out of {@code values}; it must be positive. */
    public static double scale(Map<String, String> values) {
        double scale = Double.parseDouble(take(values, "scale", "1"));
        if (!(scale > 0)) {
            throw new IllegalArgumentException("--scale must be positive, was " + scale);
        }
        return scale;
    }

    /** Takes the named value out of {@code values}, or gives {@code fallback}. */
    public static String take(Map<String, String> values, String name, String fallback) {
        String value = values.remove(name);
        return value == null ? fallback : value;
    }

    /** A comma-separated list, trimmed, without empty entries. */
    public static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
