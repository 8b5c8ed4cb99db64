package dev.canalboot.relay;

import com.alibaba.fastjson2.JSON;
import com.alibaba.otter.canal.protocol.FlatMessage;
import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalRelayAutoConfiguration;
import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.Column;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.testsupport.RelayFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay against a real MySQL 8.0.31 and a real Kafka broker (embedded KRaft): what a plain KafkaConsumer reads
 * back, parsed with Canal's own {@link FlatMessage} class and turned into values with the Canal source's value
 * conversion, equals what the same binlog source delivers directly to a listener; per-key order holds in each
 * partition; a send Kafka refuses leaves the checkpoint where it was.
 */
class RelayToKafkaIT {

    private static final String SCHEMA = "relay_it";
    private static final ZoneId ZONE = ZoneId.of("UTC");

    static RelayFixture servers;
    static EmbeddedMySql db;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void servers() {
        servers = RelayFixture.servers();
        db = servers.db;
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".items (id BIGINT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2),"
                        + " at DATETIME(3), ts TIMESTAMP(6) NULL, flag BIT(1), big BIGINT UNSIGNED, tags SET('a','b','c'),"
                        + " kind ENUM('x','y'), bin VARBINARY(8), note TEXT, t TIME(2), d DATE, y YEAR, f FLOAT, j JSON)",
                "CREATE TABLE " + SCHEMA + ".nokey (v INT)");
        servers.createTopic("relay_it", 3);
        NewTopic small = new NewTopic("relay_small", 1, (short) 1);
        small.configs(Map.of("max.message.bytes", "100"));
        servers.kafka.addTopics(small);
        dev.canalboot.testsupport.TopicLeaders.await(servers.kafka.getBrokersAsString(), "relay_small", 1);
    }

    private ConfigurableApplicationContext run(String topic) {
        List<String> properties = servers.relayingSource("canal.source", topic, topic.equals("relay_it") ? 3 : 1);
        properties.addAll(List.of("canal.checkpoint.file.directory=" + checkpoints,
                "canal.source.relay.send-timeout=20s",
                "canal.source.relay.producer.delivery.timeout.ms=15000",
                "canal.source.relay.producer.request.timeout.ms=5000"));
        return RelayFixture.run(App.class, properties);
    }

    @Test
    void whatKafkaHoldsEqualsWhatTheSourceDeliversAndKeysKeepTheirOrder() throws Exception {
        try (ConfigurableApplicationContext context = run("relay_it")) {
            Optional<Checkpoint> before = new FileCheckpointStore(checkpoints).load("default");
            App app = context.getBean(App.class);
            db.execute("INSERT INTO " + SCHEMA + ".items VALUES (1, 'one', 12.50, '2024-02-29 12:34:56.789',"
                            + " '2024-03-01 00:00:01.000001', b'1', 18446744073709551615, 'a,c', 'y', x'00ff10', 'text',"
                            + " '-838:59:59.00', '2024-01-02', 2024, 1.5, '{\"k\": [1, \"v\"]}'),"
                            + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                    "INSERT INTO " + SCHEMA + ".nokey VALUES (7), (8)");
            for (int round = 0; round < 10; round++) {
                StringBuilder tx = new StringBuilder();
                for (long id = 10; id < 20; id++) {
                    db.execute("INSERT INTO " + SCHEMA + ".items (id, name) VALUES (" + id + ", 'r" + round + "')"
                            + " ON DUPLICATE KEY UPDATE name = 'r" + round + "'");
                }
            }
            db.execute("UPDATE " + SCHEMA + ".items SET amount = 3.00, flag = b'0' WHERE id = 1",
                    "DELETE FROM " + SCHEMA + ".items WHERE id = 2",
                    "UPDATE " + SCHEMA + ".nokey SET v = v + 1");
            int expected = 2 + 2 + 10 * 10 + 1 + 1 + 2;
            List<ConsumerRecord<byte[], byte[]>> records = readAtLeast("relay_it", expected, app);
            assertThat(app.rows).hasSize(expected);

            // Every row the listener got is in Kafka with the same values; per key, in the same order.
            Map<String, List<String>> kafkaByKey = new LinkedHashMap<>();
            Map<String, List<String>> directByKey = new LinkedHashMap<>();
            Map<Integer, Integer> partitionOfKey = new HashMap<>();
            CanalValueConverter values = new CanalValueConverter(ZONE, ZeroDatePolicy.NULL);
            List<String> fromKafka = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                FlatMessage message = JSON.parseObject(record.value(), FlatMessage.class);
                assertThat(message.getIsDdl()).isFalse();
                assertThat(message.getSql()).isEmpty();
                assertThat(message.getDatabase()).isEqualTo(SCHEMA);
                for (int i = 0; i < message.getData().size(); i++) {
                    Map<String, String> row = message.getData().get(i);
                    String described = describe(message, row, values);
                    fromKafka.add(described);
                    String key = message.getTable() + ":" + row.get("id");
                    kafkaByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(described);
                    if (message.getPkNames() != null) {
                        Integer other = partitionOfKey.put(Objects.hash(key), record.partition());
                        assertThat(other == null || other == record.partition()).as("key %s in one partition", key).isTrue();
                    }
                }
                if ("UPDATE".equals(message.getType()) && message.getTable().equals("items")) {
                    assertThat(message.getOld()).hasSameSizeAs(message.getData());
                }
            }
            List<String> direct = new ArrayList<>();
            for (RowChange change : app.rows) {
                String described = describe(change);
                direct.add(described);
                directByKey.computeIfAbsent(change.table() + ":" + (change.row().has("id") ? change.row().get("id") : null),
                        k -> new ArrayList<>()).add(described);
            }
            assertThat(fromKafka).containsExactlyInAnyOrderElementsOf(direct);
            assertThat(kafkaByKey).isEqualTo(directByKey);
            assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSizeGreaterThan(1);

            // The checkpoint moved on (the control for the failure test below).
            Optional<Checkpoint> after = awaitCheckpointChange(before);
            assertThat(after).isPresent();
        }
    }

    @Test
    void aSendKafkaRefusesStopsTheRelayWithTheCheckpointWhereItWas() throws Exception {
        try (ConfigurableApplicationContext context = run("relay_small")) {
            CanalListenerEndpointRegistry registry = context.getBean(CanalListenerEndpointRegistry.class);
            registry.getListenerContainer("default").awaitStarted(Duration.ofSeconds(30));
            Optional<Checkpoint> before = new FileCheckpointStore(checkpoints).load("default");
            db.execute("INSERT INTO " + SCHEMA + ".items (id, name) VALUES (100, 'x')");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (registry.getListenerContainer("default").getState() != ContainerState.FAILED
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(registry.getListenerContainer("default").getState()).isEqualTo(ContainerState.FAILED);
            assertThat(registry.getListenerContainer("default").getLastError())
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
            assertThat(registry.getListenerContainer("default").getBatchCount()).isZero();
            context.close();
            assertThat(new FileCheckpointStore(checkpoints).load("default")).isEqualTo(before);
        }
    }

    private Optional<Checkpoint> awaitCheckpointChange(Optional<Checkpoint> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Optional<Checkpoint> now = new FileCheckpointStore(checkpoints).load("default");
        while (now.equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = new FileCheckpointStore(checkpoints).load("default");
        }
        assertThat(now).isNotEqualTo(before);
        return now;
    }

    /** A row from Kafka as "TYPE table {column=value, ...}", values converted back to the model's Java types. */
    private static String describe(FlatMessage message, Map<String, String> row, CanalValueConverter values) {
        Map<String, Object> typed = new java.util.TreeMap<>();
        int i = 0;
        for (Map.Entry<String, String> e : row.entrySet()) {
            MySqlTypeText type = MySqlTypeText.parse(message.getMysqlType().get(e.getKey()));
            Column column = new Column(e.getKey(), i++, type.type(), type.unsigned(), type.length(), type.scale(), null,
                    false, type.elements());
            typed.put(e.getKey(), text(values.convert(column, e.getValue(), e.getValue() == null)));
        }
        return message.getType() + " " + message.getTable() + " " + typed;
    }

    private static String describe(RowChange change) {
        Map<String, Object> typed = new java.util.TreeMap<>();
        change.row().toMap().forEach((k, v) -> typed.put(k, text(v)));
        return change.type() + " " + change.table() + " " + typed;
    }

    private static Object text(Object value) {
        return value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : value;
    }

    /** The topic's records once they hold {@code rows} rows and the listener got as many. */
    private static List<ConsumerRecord<byte[], byte[]>> readAtLeast(String topic, int rows, App app)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> records = servers.records(topic);
            int seen = records.stream().mapToInt(r -> JSON.parseObject(r.value(), FlatMessage.class).getData().size())
                    .sum();
            if (seen >= rows && app.rows.size() >= rows || System.nanoTime() - deadline > 0) {
                assertThat(seen).as("rows read from Kafka").isEqualTo(rows);
                return records;
            }
            Thread.sleep(200);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalRelayAutoConfiguration.class})
    @EnableConfigurationProperties(KafkaProperties.class)
    static class App {
        final List<RowChange> rows = new CopyOnWriteArrayList<>();

        @CanalListener(table = SCHEMA + ".*")
        void onRow(RowChange row) {
            rows.add(row);
        }
    }
}
