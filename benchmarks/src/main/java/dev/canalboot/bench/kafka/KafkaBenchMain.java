package dev.canalboot.bench.kafka;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka benchmarks of issue 20: the Kafka source against a plain {@code KafkaConsumer} with Jackson
 * ({@link SourceBench}), and the relay against Canal 1.1.7's MQ producer ({@link RelayBench}), on the broker of
 * {@code --bootstrap-servers} or on one of its own in a child JVM; options in {@link KafkaBenchOptions}. Writes a
 * Markdown table of the medians and every run, and the ratios of ours to the other contender, to
 * {@code <out-dir>/kafka-results.md} and prints it.
 * <p>
 * {@code ./mvnw -B -pl benchmarks -am -DskipTests -Pkafka-bench package -Dkafka-bench.args="--messages=300000 --rows=100000"}
 */
public final class KafkaBenchMain {

    public static void main(String[] args) throws Exception {
        KafkaBenchOptions options = KafkaBenchOptions.parse(args);
        String markdown = markdown(run(options));
        Files.createDirectories(options.outDir());
        Files.writeString(options.outDir().resolve("kafka-results.md"), markdown);
        System.out.println(markdown);
    }

    public static List<KafkaRun> run(KafkaBenchOptions options) throws Exception {
        if (options.bootstrapServers() == null) {
            try (KafkaBrokerJvm broker = new KafkaBrokerJvm()) {
                return run(options.withBootstrapServers(broker.bootstrapServers()));
            }
        }
        List<KafkaRun> runs = new ArrayList<>();
        if (options.benchmarks().contains("source")) {
            runs.addAll(new SourceBench(options).run());
        }
        if (options.benchmarks().contains("relay")) {
            runs.addAll(new RelayBench(options).run());
        }
        return runs;
    }

    /** Per benchmark and contender the median run by rows/s, with every run; then ours against the other. */
    public static String markdown(List<KafkaRun> runs) {
        Map<String, List<KafkaRun>> byContender = new TreeMap<>();
        runs.forEach(run -> byContender.computeIfAbsent(run.benchmark() + "|" + run.contender(),
                k -> new ArrayList<>()).add(run));
        StringBuilder md = new StringBuilder("| benchmark | contender | rows | median rows/s | CPU µs/row | runs (rows/s) |\n"
                + "|---|---|---:|---:|---:|---|\n");
        byContender.forEach((key, list) -> {
            KafkaRun median = median(list);
            md.append("| ").append(median.benchmark()).append(" | ").append(median.contender()).append(" | ")
                    .append(median.rows()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", median.rowsPerSecond())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", median.cpuMicrosPerRow())).append(" | ")
                    .append(String.join(", ", list.stream()
                            .map(r -> String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond())).toList()))
                    .append(" |\n");
        });
        ratio(md, byContender, "source", SourceBench.CONTENDER_OURS, SourceBench.CONTENDER_PLAIN, "target ≥ 1.5×");
        ratio(md, byContender, "relay", RelayBench.CONTENDER_OURS, RelayBench.CONTENDER_CANAL, null);
        return md.toString();
    }

    /** Ours against the other contender, median against median: rows/s (higher is better), CPU per row (lower). */
    private static void ratio(StringBuilder md, Map<String, List<KafkaRun>> byContender, String benchmark, String ours,
                              String other, String target) {
        KafkaRun a = median(byContender.get(benchmark + "|" + ours));
        KafkaRun b = median(byContender.get(benchmark + "|" + other));
        if (a == null || b == null) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n%s: %s against %s: %.2f× the rows/s%s, %.2f× the CPU per row%n",
                benchmark, ours, other, a.rowsPerSecond() / b.rowsPerSecond(), target == null ? "" : " (" + target + ")",
                a.cpuMicrosPerRow() / b.cpuMicrosPerRow()));
    }

    private static KafkaRun median(List<KafkaRun> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        List<KafkaRun> sorted = runs.stream().sorted(Comparator.comparingDouble(KafkaRun::rowsPerSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }
}
