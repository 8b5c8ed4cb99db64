package dev.canalboot.bench.kafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of the Kafka benchmarks ({@link KafkaBenchMain}), {@code --name=value}:
 * <ul>
 * <li>{@code --bootstrap-servers}: the Kafka broker (the benchmarks create their own topics); default: a KRaft broker
 * started in a child JVM ({@link KafkaBrokerJvm}), whose CPU is not counted</li>
 * <li>{@code --benchmarks}: {@code source} (Kafka source vs a plain KafkaConsumer with Jackson), {@code relay}
 * (the relay vs Canal 1.1.7's own MQ producer on the same binlog); default both</li>
 * <li>{@code --messages}: flat messages of the source benchmark (default 500000), one row each</li>
 * <li>{@code --rows}: rows of the relay benchmark's binlog (default 200000)</li>
 * <li>{@code --partitions}: partitions of every topic (default 6)</li>
 * <li>{@code --runs}: measured runs per contender, alternating (default 3; the median counts)</li>
 * <li>{@code --warmups}: unmeasured runs per contender before them, alternating (default 1: JIT and class loading of
 * both contenders out of the figures)</li>
 * <li>{@code --source-properties}: kafka-clients consumer properties for our Kafka source only, {@code key=value}
 * separated by commas (e.g. {@code max.poll.records=500}: the source's settings to try; default none, the source's
 * defaults)</li>
 * <li>{@code --decode-threads}: our Kafka source's decoding threads (default: the source's default)</li>
 * <li>{@code --out-dir}: where {@code kafka-results.md} goes (default target/kafka-bench)</li>
 * </ul>
 */
public record KafkaBenchOptions(String bootstrapServers, List<String> benchmarks, int messages, long rows,
                                int partitions, int runs, int warmups, Map<String, String> sourceProperties,
                                Integer decodeThreads, Path outDir) {

    public static KafkaBenchOptions parse(String... args) {
        String servers = null;
        List<String> benchmarks = List.of("source", "relay");
        int messages = 500_000;
        long rows = 200_000;
        int partitions = 6;
        int runs = 3;
        int warmups = 1;
        Map<String, String> sourceProperties = new LinkedHashMap<>();
        Integer decodeThreads = null;
        Path outDir = Path.of("target/kafka-bench");
        for (String arg : args) {
            for (String part : arg.trim().split("\\s+")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (!part.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("Expected --name=value, got '" + part + "'");
                }
                String name = part.substring(2, eq);
                String value = part.substring(eq + 1);
                switch (name) {
                    case "bootstrap-servers" -> servers = value;
                    case "benchmarks" -> benchmarks = List.of(value.split(","));
                    case "messages" -> messages = Integer.parseInt(value);
                    case "rows" -> rows = Long.parseLong(value);
                    case "partitions" -> partitions = Integer.parseInt(value);
                    case "runs" -> runs = Integer.parseInt(value);
                    case "warmups" -> warmups = Integer.parseInt(value);
                    case "source-properties" -> {
                        for (String property : value.split(",")) {
                            int at = property.indexOf('=');
                            if (at <= 0) {
                                throw new IllegalArgumentException("--source-properties takes key=value,...; got '"
                                        + property + "'");
                            }
                            sourceProperties.put(property.substring(0, at), property.substring(at + 1));
                        }
                    }
                    case "decode-threads" -> decodeThreads = Integer.parseInt(value);
                    case "out-dir" -> outDir = Path.of(value);
                    default -> throw new IllegalArgumentException("Unknown option --" + name + " (see KafkaBenchOptions)");
                }
            }
        }
        if (servers != null && servers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers is empty: give host:port of a Kafka broker, or leave"
                    + " it out to run on a broker of our own in a child JVM");
        }
        if (runs < 1 || warmups < 0) {
            throw new IllegalArgumentException("--runs must be at least 1 and --warmups at least 0");
        }
        for (String benchmark : benchmarks) {
            if (!benchmark.equals("source") && !benchmark.equals("relay")) {
                throw new IllegalArgumentException("Unknown benchmark '" + benchmark + "': source or relay");
            }
        }
        return new KafkaBenchOptions(servers, benchmarks, messages, rows, partitions, runs, warmups,
                Map.copyOf(sourceProperties), decodeThreads, outDir);
    }

    /** The same options on another broker. */
    public KafkaBenchOptions withBootstrapServers(String servers) {
        return new KafkaBenchOptions(servers, benchmarks, messages, rows, partitions, runs, warmups, sourceProperties,
                decodeThreads, outDir);
    }
}
