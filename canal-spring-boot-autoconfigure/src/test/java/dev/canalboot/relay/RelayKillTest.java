package dev.canalboot.relay;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.JvmKillLoop;
import dev.canalboot.testsupport.RelayKillMain;
import dev.canalboot.testsupport.TestServers;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relaying JVM (a binlog source on MySQL 8.0.31 relaying to a three-partition topic, file checkpoints) is killed
 * with SIGKILL at random ({@code -Drelay.kills}, default 3) while a writer commits single-row UPDATEs that count
 * each of 20 keys' {@code seq} up from 1, about 40 a second, until the last kill is dealt and then 100 more; it is
 * started again each time and resumes from its checkpoint. Read back
 * with a plain consumer: every committed value of every key is in Kafka (at least once), and in each key's partition
 * the values go up by one, except where a restarted relay sends again from its checkpoint (a step back, never a gap:
 * nothing lost, nothing out of order). Steps back and duplicates are counted and printed.
 */
class RelayKillTest {

    private static final String SCHEMA = "relay_kill";
    private static final int KEYS = 20;
    /** Rounds of one UPDATE per key written after the last kill, so that the last launch relays some too. */
    private static final int TAIL_ROUNDS = 5;
    private static final int KILLS = Integer.getInteger("relay.kills", 3);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    @Test
    void everyCommittedChangeIsInKafkaInPerKeyOrderWhileTheRelayIsKilled() throws Exception {
        EmbeddedMySql db = TestServers.mysql();
        DatabaseUser user = db.nativePasswordUser();
        EmbeddedKafkaBroker kafka = TestServers.kafka();
        String topic = SCHEMA + "_" + System.nanoTime();
        kafka.addTopics(new NewTopic(topic, 3, (short) 1));
        StringBuilder rows = new StringBuilder();
        for (int key = 0; key < KEYS; key++) {
            rows.append(key == 0 ? "" : ",").append('(').append(key).append(", 0)");
        }
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".t (id INT PRIMARY KEY, seq INT NOT NULL)",
                "INSERT INTO " + SCHEMA + ".t VALUES " + rows);
        Path checkpoints = Files.createDirectories(work.resolve("checkpoints"));
        // The first launch starts here, not at "latest": a kill before its first checkpoint must lose nothing either
        String[] start = masterStatus(db);
        long started = System.nanoTime();
        AtomicInteger rounds = new AtomicInteger();
        try {
            JvmKillLoop.Outcome outcome = JvmKillLoop.run(work, 1, KILLS, Duration.ofMillis(1500),
                    Duration.ofSeconds(60L + 40L * KILLS),
                    (instance, launch, output) -> JvmKillLoop.java(output, RelayKillMain.class, db.host(),
                            String.valueOf(db.port()), user.name(), user.password(), checkpoints.toString(),
                            kafka.getBrokersAsString(), topic, start[0], start[1]),
                    killing -> write(db, killing, rounds), () -> {
                        int arrived = distinct(read(kafka, topic)).size();
                        if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(90)) {
                            System.out.println("relay kill test: " + arrived + " of " + rounds.get() * KEYS
                                    + " changes in Kafka");
                        }
                        return arrived == rounds.get() * KEYS;
                    });
            int updates = rounds.get() * KEYS;

            Map<Integer, List<Integer>> byKey = read(kafka, topic);
            List<String> problems = new ArrayList<>();
            int stepsBack = 0;
            int records = 0;
            for (Map.Entry<Integer, List<Integer>> key : byKey.entrySet()) {
                List<Integer> values = key.getValue();
                records += values.size();
                if (values.get(0) != 1) {
                    problems.add("key " + key.getKey() + " starts at " + values.get(0));
                }
                for (int i = 1; i < values.size(); i++) {
                    int previous = values.get(i - 1);
                    int value = values.get(i);
                    if (value > previous + 1) {
                        problems.add("key " + key.getKey() + ": " + value + " after " + previous + " (a gap)");
                    } else if (value <= previous) {
                        stepsBack++;
                    }
                }
                if (values.stream().mapToInt(Integer::intValue).max().orElse(0) != rounds.get()) {
                    problems.add("key " + key.getKey() + " ends at " + values.get(values.size() - 1));
                }
            }
            assertThat(problems).as("per-key values in Kafka").isEmpty();
            assertThat(byKey).hasSize(KEYS);
            assertThat(outcome.killsWhileWriting()).as("kills while the writer committed").isPositive();
            System.out.printf("Relay kill test: %d kills (%d while writing), %d launches, %d changes committed, %d"
                            + " rows in Kafka (%d duplicates, %d steps back to a checkpoint), %.1f s%n", outcome.kills(),
                    outcome.killsWhileWriting(), outcome.outputs().size(), updates, records, records - updates,
                    stepsBack, (System.nanoTime() - started) / 1e9);
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + SCHEMA);
        }
    }

    /**
     * UPDATE t SET seq = seq + 1 of each key in turn, one per transaction, about 40 a second, in whole rounds over
     * the keys until no kill is to come, then {@link #TAIL_ROUNDS} more; {@code rounds} counts the rounds committed.
     */
    private static void write(EmbeddedMySql db, BooleanSupplier killing, AtomicInteger rounds) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement()) {
            long start = System.nanoTime();
            long nanosPerUpdate = TimeUnit.SECONDS.toNanos(1) / 40;
            long t = 0;
            for (int tail = 0; tail < TAIL_ROUNDS; tail += killing.getAsBoolean() ? 0 : 1) {
                for (int key = 0; key < KEYS; key++, t++) {
                    long due = start + t * nanosPerUpdate - System.nanoTime();
                    if (due > 0) {
                        TimeUnit.NANOSECONDS.sleep(due);
                    }
                    s.execute("UPDATE " + SCHEMA + ".t SET seq = seq + 1 WHERE id = " + key);
                }
                rounds.incrementAndGet();
            }
        }
    }

    private static String[] masterStatus(EmbeddedMySql db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).isTrue();
            return new String[]{rs.getString(1), String.valueOf(rs.getLong(2))};
        }
    }

    private static Set<String> distinct(Map<Integer, List<Integer>> byKey) {
        Set<String> distinct = new HashSet<>();
        byKey.forEach((key, values) -> values.forEach(value -> distinct.add(key + ":" + value)));
        return distinct;
    }

    /** Each key's {@code seq} values of the UPDATE rows in the topic, in partition order. */
    private static Map<Integer, List<Integer>> read(EmbeddedKafkaBroker kafka, String topic) {
        Map<Integer, List<Integer>> byKey = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < guard) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode message = JSON.readTree(record.value());
                    if (!message.get("type").asString().equals("UPDATE")) {
                        continue;
                    }
                    for (JsonNode row : message.get("data")) {
                        byKey.computeIfAbsent(Integer.parseInt(row.get("id").asString()), k -> new ArrayList<>())
                                .add(Integer.parseInt(row.get("seq").asString()));
                    }
                }
            }
        }
        return byKey;
    }
}
