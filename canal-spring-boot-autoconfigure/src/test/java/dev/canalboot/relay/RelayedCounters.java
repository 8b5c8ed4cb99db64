package dev.canalboot.relay;

import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.testsupport.RelayFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
 * The workload of the relay's kill tests: table {@code schema.t (id, seq)} whose keys' {@code seq} a writer counts
 * up from 1 in rounds (one single-row UPDATE per key and transaction), the relayed flat messages read back from
 * Kafka, and the check that every committed value is there in per-key order (a step back to a checkpoint allowed,
 * never a gap).
 */
final class RelayedCounters {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What the topic holds of the counters. */
    record Check(List<String> problems, int records, int stepsBack, int keys) {
    }

    private final RelayFixture servers;
    private final EmbeddedMySql db;
    private final String schema;
    private final int keys;
    private final AtomicInteger rounds = new AtomicInteger();

    /** Creates {@code schema.t} afresh with {@code keys} rows at {@code seq} 0. */
    RelayedCounters(RelayFixture servers, String schema, int keys) {
        this.servers = servers;
        this.db = servers.db;
        this.schema = schema;
        this.keys = keys;
        StringBuilder rows = new StringBuilder();
        for (int key = 0; key < keys; key++) {
            rows.append(key == 0 ? "" : ",").append('(').append(key).append(", 0)");
        }
        db.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, seq INT NOT NULL)",
                "INSERT INTO " + schema + ".t VALUES " + rows);
    }

    /** Changes committed so far: whole rounds times keys. */
    int committed() {
        return rounds.get() * keys;
    }

    /**
     * Counts every key up once per round, {@code perSecond} UPDATEs a second, while {@code more} says so at the end
     * of a round, then {@code tailRounds} rounds more.
     */
    void write(int perSecond, BooleanSupplier more, int tailRounds) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement()) {
            long start = System.nanoTime();
            long nanosPerUpdate = TimeUnit.SECONDS.toNanos(1) / perSecond;
            long t = 0;
            for (int tail = 0; tail < tailRounds; tail += more.getAsBoolean() ? 0 : 1) {
                for (int key = 0; key < keys; key++, t++) {
                    long due = start + t * nanosPerUpdate - System.nanoTime();
                    if (due > 0) {
                        TimeUnit.NANOSECONDS.sleep(due);
                    }
                    s.execute("UPDATE " + schema + ".t SET seq = seq + 1 WHERE id = " + key);
                }
                rounds.incrementAndGet();
            }
        }
    }

    /** The binlog's current file and position: where a relay started now would begin. */
    String[] binlogEnd() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).isTrue();
            return new String[]{rs.getString(1), String.valueOf(rs.getLong(2))};
        }
    }

    /** Distinct committed values of the topic. */
    int arrived(String topic) {
        Set<String> distinct = new HashSet<>();
        read(topic).forEach((key, values) -> values.forEach(value -> distinct.add(key + ":" + value)));
        return distinct.size();
    }

    /** Every key starts at 1, has no gap, ends at the rounds written; steps back (sent again) are counted. */
    Check check(String topic) {
        Map<Integer, List<Integer>> byKey = read(topic);
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
                problems.add("key " + key.getKey() + " ends at " + values.get(values.size() - 1) + ", not at "
                        + rounds.get());
            }
        }
        return new Check(problems, records, stepsBack, byKey.size());
    }

    /** Each key's {@code seq} values of the UPDATE rows of {@code schema.t} in the topic, in partition order. */
    private Map<Integer, List<Integer>> read(String topic) {
        Map<Integer, List<Integer>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : servers.records(topic)) {
            JsonNode message = JSON.readTree(record.value());
            // Only the counters: the relay publishes every table of the binlog (JDBC checkpoints and HA tables too)
            if (!message.get("type").asString().equals("UPDATE") || !message.get("database").asString().equals(schema)
                    || !message.get("table").asString().equals("t")) {
                continue;
            }
            for (JsonNode row : message.get("data")) {
                byKey.computeIfAbsent(Integer.parseInt(row.get("id").asString()), k -> new ArrayList<>())
                        .add(Integer.parseInt(row.get("seq").asString()));
            }
        }
        return byKey;
    }
}
