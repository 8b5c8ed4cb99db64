package dev.canalboot.bench.kafka;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A KRaft broker (spring-kafka-test) in a child JVM, for the Kafka benchmarks when no broker is given (and their
 * smoke test), so that the broker's CPU is not counted as the contenders': this module's class path
 * holds the kafka-clients Debezium is built on, newer than the Kafka server jars spring-kafka-test brings, which do
 * not run with it. The child gets the kafka-clients of the server's version, and none of Debezium's or Kafka
 * Connect's jars. Stops when this JVM closes it (or its stdin closes).
 */
public final class KafkaBrokerJvm implements AutoCloseable {

    private final Process process;
    private final String bootstrapServers;

    public KafkaBrokerJvm() throws Exception {
        String classPath = childClassPath(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", classPath, Main.class.getName()).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String servers = null;
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (String line = output.readLine(); line != null && System.nanoTime() < guard; line = output.readLine()) {
            if (line.startsWith("BROKER ")) {
                servers = line.substring("BROKER ".length()).trim();
                break;
            }
            seen.append(line).append('\n');
        }
        if (servers == null) {
            process.destroyForcibly();
            throw new IllegalStateException("The Kafka broker JVM did not start:\n" + seen);
        }
        bootstrapServers = servers;
        // Drain the rest so that the child never blocks on a full pipe
        Thread drain = new Thread(() -> output.lines().forEach(line -> { }), "kafka-broker-jvm-output");
        drain.setDaemon(true);
        drain.start();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    static String childClassPath(String classPath) {
        String serverVersion = Arrays.stream(classPath.split(File.pathSeparator))
                .map(entry -> entry.replace(File.separatorChar, '/'))
                .filter(entry -> entry.contains("/org/apache/kafka/kafka_2.13/"))
                .map(entry -> Path.of(entry).getParent().getFileName().toString())
                .findFirst().orElseThrow(() -> new IllegalStateException("no kafka_2.13 jar on " + classPath));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains("io" + File.separator + "debezium")
                        && !entry.contains("kafka" + File.separator + "connect-"))
                .map(entry -> {
                    Path jar = Path.of(entry);
                    if (!jar.getFileName().toString().startsWith("kafka-clients-")
                            || jar.getFileName().toString().contains("-test")) {
                        return entry;
                    }
                    Path own = jar.getParent().getParent().resolve(serverVersion)
                            .resolve("kafka-clients-" + serverVersion + ".jar");
                    if (!Files.exists(own)) {
                        throw new IllegalStateException("kafka-clients " + serverVersion + " (the broker's) is not at "
                                + own);
                    }
                    return own.toString();
                })
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The child: starts the broker, prints its address, runs until stdin closes. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
            broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1", "offsets.topic.replication.factor", "1",
                    "group.initial.rebalance.delay.ms", "0"));
            broker.afterPropertiesSet();
            System.out.println("BROKER " + broker.getBrokersAsString());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
            broker.destroy();
            System.exit(0);
        }
    }
}
