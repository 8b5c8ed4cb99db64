package dev.canalboot.kafka;

import dev.canalboot.testsupport.JvmKillLoop;
import dev.canalboot.testsupport.KafkaGroupConsumerMain;
import dev.canalboot.testsupport.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three JVMs in one consumer group on a six-partition topic, each a Kafka source acknowledging a batch after it
 * logged it (fsync'd); while a producer writes flat messages of 30 keys (each key's values 1, 2, 3, ... in order,
 * four a second, every key in one partition; until the last kill is dealt, then 8 more), the JVMs are killed with SIGKILL at random ({@code -Dkafka.kills}, default 4) and
 * started again. Every message reaches some JVM's log (at least once), and within each JVM run every key's values
 * only go up (per-key order); duplicates (read again after a kill or a rebalance) are counted and printed.
 */
class KafkaGroupKillIT {

    private static final int KEYS = 30;
    /** Values per key written after the last kill, so that the last members have some to read. */
    private static final int TAIL_VALUES = 8;
    private static final int PARTITIONS = 6;
    private static final int KILLS = Integer.getInteger("kafka.kills", 4);

    @TempDir
    Path work;

    @Test
    void everyMessageArrivesAtLeastOnceAndEachKeyInOrderWhileMembersAreKilled() throws Exception {
        EmbeddedKafkaBroker broker = TestServers.kafka();
        String topic = "kg_" + System.nanoTime();
        KafkaTopics.create(broker, topic, PARTITIONS);
        String group = "g-" + topic;
        long started = System.nanoTime();
        AtomicInteger valuesPerKey = new AtomicInteger();
        JvmKillLoop.Outcome outcome = JvmKillLoop.run(work, 3, KILLS, Duration.ofMillis(1500),
                Duration.ofSeconds(60L + 25L * KILLS),
                (instance, launch, output) -> JvmKillLoop.java(output, KafkaGroupConsumerMain.class,
                        broker.getBrokersAsString(), group, topic, log(instance, launch).toString()),
                killing -> write(broker, topic, killing, valuesPerKey),
                () -> delivered().size() == KEYS * valuesPerKey.get());
        int messages = KEYS * valuesPerKey.get();

        Set<String> seen = new HashSet<>();
        long rows = 0;
        List<String> problems = new ArrayList<>();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                Map<Integer, Integer> last = new HashMap<>();
                for (int[] row : rows(log)) {
                    rows++;
                    seen.add(row[0] + ":" + row[1]);
                    Integer before = last.put(row[0], row[1]);
                    if (before != null && row[1] <= before) {
                        problems.add(log.getFileName() + ": key " + row[0] + " value " + row[1] + " after " + before);
                    }
                }
            }
        }
        assertThat(problems).as("per-key order within each run").isEmpty();
        assertThat(seen).hasSize(messages);
        assertThat(outcome.killsWhileWriting()).as("kills while the producer wrote").isPositive();
        System.out.printf("Kafka group kill test: %d kills (%d while writing), %d launches, %d messages, %d delivered,"
                        + " %d duplicates, %.1f s%n", outcome.kills(), outcome.killsWhileWriting(), outcome.outputs().size(),
                messages, rows, rows - seen.size(), (System.nanoTime() - started) / 1e9);
    }

    private Path log(int instance, int launch) {
        return work.resolve("member-" + instance + "-" + launch + ".log");
    }

    /** Key and value of every whole line of a delivery log ({@code key value ;}); a torn last line is skipped. */
    private static List<int[]> rows(Path log) throws IOException {
        List<int[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ");
            if (parts.length == 3 && parts[2].equals(";")) {
                rows.add(new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
            }
        }
        return rows;
    }

    private Set<String> delivered() throws IOException {
        Set<String> seen = new HashSet<>();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                rows(log).forEach(row -> seen.add(row[0] + ":" + row[1]));
            }
        }
        return seen;
    }

    /**
     * Values 1, 2, ... of every key, four a second, key k always to partition k % 6, until no kill is to come, then
     * {@link #TAIL_VALUES} more; {@code valuesPerKey} counts the values sent and acknowledged.
     */
    private static void write(EmbeddedKafkaBroker broker, String topic, BooleanSupplier killing,
                              AtomicInteger valuesPerKey) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTopics.producer(broker)) {
            long start = System.nanoTime();
            long nanosPerValue = TimeUnit.SECONDS.toNanos(1) / 4;
            int value = 0;
            for (int tail = 0; tail < TAIL_VALUES; tail += killing.getAsBoolean() ? 0 : 1) {
                value++;
                long due = start + value * nanosPerValue - System.nanoTime();
                if (due > 0) {
                    TimeUnit.NANOSECONDS.sleep(due);
                }
                for (int key = 0; key < KEYS; key++) {
                    producer.send(new ProducerRecord<>(topic, key % PARTITIONS, null,
                            message(key, value).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                valuesPerKey.set(value);
            }
        }
    }

    /** A Canal flat message of one row of kg.t: the key as {@code id}, the value as the GTID the log records. */
    private static String message(int key, int value) {
        return "{\"data\":[{\"id\":\"" + key + "\",\"v\":\"" + value + "\"}],\"database\":\"kg\",\"es\":1700000000000,"
                + "\"gtid\":\"" + value + "\",\"id\":" + value + ",\"isDdl\":false,\"mysqlType\":{\"id\":\"bigint\","
                + "\"v\":\"int\"},\"old\":null,\"pkNames\":[\"id\"],\"sql\":\"\",\"sqlType\":{\"id\":-5,\"v\":4},"
                + "\"table\":\"t\",\"ts\":1700000000001,\"type\":\"INSERT\"}";
    }
}
