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
 * ({@link SourceBench}), and the relay against Canal 1.1.7's MQ producer ({@link RelayBench}). Needs a Kafka broker
 * ({@code --bootstrap-servers}); options in {@link KafkaBenchOptions}. Writes a Markdown table of the medians and
 * every run to {@code <out-dir>/kafka-results.md} and prints it.
 * <p>
 * {@code ./mvnw -B -pl benchmarks -am -DskipTests -Pkafka-bench package -Dkafka-bench.args="--bootstrap-servers=localhost:9092"}
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
        List<KafkaRun> runs = new ArrayList<>();
        if (options.benchmarks().contains("source")) {
            runs.addAll(new SourceBench(options).run());
        }
        if (options.benchmarks().contains("relay")) {
            runs.addAll(new RelayBench(options).run());
        }
        return runs;
    }

    /** Per benchmark and contender the median run by rows/s; then every run. */
    public static String markdown(List<KafkaRun> runs) {
        Map<String, List<KafkaRun>> byContender = new TreeMap<>();
        runs.forEach(run -> byContender.computeIfAbsent(run.benchmark() + "|" + run.contender(),
                k -> new ArrayList<>()).add(run));
        StringBuilder md = new StringBuilder("| benchmark | contender | rows | median rows/s | CPU µs/row | runs (rows/s) |\n"
                + "|---|---|---:|---:|---:|---|\n");
        byContender.forEach((key, list) -> {
            List<KafkaRun> sorted = list.stream().sorted(Comparator.comparingDouble(KafkaRun::rowsPerSecond)).toList();
            KafkaRun median = sorted.get(sorted.size() / 2);
            md.append("| ").append(median.benchmark()).append(" | ").append(median.contender()).append(" | ")
                    .append(median.rows()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", median.rowsPerSecond())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", median.cpuMicrosPerRow())).append(" | ")
                    .append(String.join(", ", list.stream()
                            .map(r -> String.format(Locale.ROOT, "%,.0f", r.rowsPerSecond())).toList()))
                    .append(" |\n");
        });
        return md.toString();
    }
}
