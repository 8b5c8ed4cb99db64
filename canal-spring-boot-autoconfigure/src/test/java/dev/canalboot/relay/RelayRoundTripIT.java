package dev.canalboot.relay;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalKafkaAutoConfiguration;
import dev.canalboot.autoconfigure.CanalRelayAutoConfiguration;
import dev.canalboot.canal.CanalSourceContract;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.kafka.MessageFormat;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.Column;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.RelayFixture;
import com.alibaba.otter.canal.client.kafka.MessageDeserializer;
import com.alibaba.otter.canal.protocol.CanalEntry;
import com.alibaba.otter.canal.protocol.Message;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay and the Kafka source end to end, in one application: a binlog source on MySQL 8.0.31 relays to a
 * Kafka broker (embedded KRaft, three partitions), and a {@code type: kafka} source of the same application reads
 * the topic back into {@code @CanalListener}s. Every row of the Canal type fixture ({@link CanalSourceContract}'s
 * types table, both column orders), plus updates and deletes of keys spread over the partitions, reaches the Kafka
 * source's listener with values equal (and of the same Java type) to what the binlog source's listener received
 * directly, each key's changes in the same order — in both of the relay's formats; and the official Canal client's
 * classes (its Kafka connector's {@code MessageDeserializer}, Canal's {@code FlatMessage}) read every row of the topic.
 */
class RelayRoundTripIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    static RelayFixture servers;
    static EmbeddedMySql db;

    @TempDir
    Path checkpoints;

    @BeforeAll
    static void servers() {
        servers = RelayFixture.servers();
        db = servers.db;
    }

    @ParameterizedTest
    @EnumSource(MessageFormat.class)
    void whatTheKafkaSourceReadsBackEqualsWhatTheBinlogSourceDelivers(MessageFormat format) throws Exception {
        String schema = "relay_rt_" + format.name().toLowerCase(Locale.ROOT);
        String topic = schema + "_" + System.nanoTime();
        servers.createTopic(topic, 3);
        db.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema + " DEFAULT CHARACTER SET utf8mb4",
                CanalSourceContract.TYPES_TABLE.formatted(schema),
                CanalSourceContract.reversedTypesTable().formatted(schema),
                "CREATE TABLE " + schema + ".counters (id INT PRIMARY KEY, n INT, note VARCHAR(20))");
        try (ConfigurableApplicationContext context = run(schema, topic, format)) {
            App app = context.getBean(App.class);
            List<String> statements = new ArrayList<>();
            statements.add("SET SESSION sql_mode = ''");
            for (String row : CanalSourceContract.TYPE_ROWS) {
                statements.add(row.formatted(schema));
                statements.add(CanalSourceContract.reversedTypeRow(row).formatted(schema));
            }
            db.execute(statements.toArray(String[]::new));
            // Keys over all partitions, each changed several times, some in multi-row statements.
            db.execute("INSERT INTO " + schema + ".counters VALUES (1,0,'a'),(2,0,'b'),(3,0,'c'),(4,0,'d'),(5,0,'e'),"
                    + "(6,0,'f'),(7,0,'g'),(8,0,'h')");
            for (int round = 1; round <= 5; round++) {
                db.execute("UPDATE " + schema + ".counters SET n = " + round,
                        "UPDATE " + schema + ".counters SET note = 'r" + round + "' WHERE id % 3 = " + round % 3);
            }
            db.execute("DELETE FROM " + schema + ".counters WHERE id IN (2, 5)",
                    "UPDATE " + schema + ".types SET c_varchar = 'changed', c_int = 5 WHERE id IN (2, 3)",
                    "DELETE FROM " + schema + ".types_reversed WHERE id = 4");
            // 8 inserts, 5 updates of every row's n, 14 of a third of the notes (ids 1,4,7 / 2,5,8 / 3,6 / ...)
            int expected = 2 * CanalSourceContract.TYPE_ROWS.length + 8 + 5 * 8 + 14 + 2 + 2 + 1;
            awaitRows(app, expected);

            assertThat(app.viaKafka).hasSameSizeAs(app.direct);
            Map<String, List<String>> direct = byKey(app.direct);
            Map<String, List<String>> viaKafka = byKey(app.viaKafka);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(viaKafka.keySet()).containsExactlyInAnyOrderElementsOf(direct.keySet());
            direct.forEach((key, changes) -> soft.assertThat(viaKafka.get(key)).as("changes of %s, in order", key)
                    .isEqualTo(changes));
            // The same Java types, not only equal text: every non-null value is of its column's model type.
            for (RowChange row : app.viaKafka) {
                for (Column column : row.tableSchema().columns()) {
                    Object value = row.row().get(column.name());
                    if (value != null) {
                        soft.assertThat(value).as("Java type of %s.%s", row.table(), column.name())
                                .isInstanceOf(column.javaType());
                    }
                }
            }
            // What the official Canal client reads of the same records: Canal's own classes parse every record.
            soft.assertThat(rowsReadByCanalsClasses(topic, format)).as("rows the official Canal classes read")
                    .isEqualTo(expected);
            soft.assertAll();
            System.out.printf("relay round trip (%s): %d rows over %d keys, equal and in order per key%n", format,
                    app.viaKafka.size(), viaKafka.size());
        } finally {
            db.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }

    private ConfigurableApplicationContext run(String schema, String topic, MessageFormat format) {
        App.schema = schema;
        List<String> properties = servers.relayingSource("canal.sources.bin", topic, 3);
        properties.addAll(List.of("canal.checkpoint.file.directory=" + checkpoints,
                "canal.sources.bin.relay.format=" + format.name().toLowerCase(Locale.ROOT),
                "canal.sources.kfk.type=kafka", "canal.sources.kfk.kafka.topics=" + topic,
                "canal.sources.kfk.kafka.group-id=g-" + topic,
                "canal.sources.kfk.kafka.format=" + format.name().toLowerCase(Locale.ROOT),
                "canal.sources.kfk.server-time-zone=UTC"));
        return RelayFixture.run(App.class, properties);
    }

    /**
     * Rows in the topic as the official Canal client's Kafka connector reads them: protobuf records with its
     * {@code MessageDeserializer}, flat ones with Canal's {@code FlatMessage} class.
     */
    private static int rowsReadByCanalsClasses(String topic, MessageFormat format) throws Exception {
        int rows = 0;
        for (ConsumerRecord<byte[], byte[]> record : servers.records(topic)) {
            if (format == MessageFormat.FLAT) {
                com.alibaba.otter.canal.protocol.FlatMessage message = com.alibaba.fastjson2.JSON.parseObject(
                        record.value(), com.alibaba.otter.canal.protocol.FlatMessage.class);
                rows += message.getIsDdl() || message.getData() == null ? 0 : message.getData().size();
                continue;
            }
            Message message = new MessageDeserializer().deserialize(topic, record.value());
            for (CanalEntry.Entry entry : message.getEntries()) {
                CanalEntry.RowChange change = CanalEntry.RowChange.parseFrom(entry.getStoreValue());
                rows += change.getIsDdl() ? 0 : change.getRowDatasCount();
            }
        }
        return rows;
    }

    private static void awaitRows(App app, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((app.direct.size() < expected || app.viaKafka.size() < expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(app.direct).as("rows the binlog source delivered").hasSize(expected);
        assertThat(app.viaKafka).as("rows the Kafka source delivered").hasSize(expected);
    }

    /** Each key's changes ("table:id"), each as "TYPE {column=value, ...} before {...}", in delivery order. */
    private static Map<String, List<String>> byKey(List<RowChange> rows) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (RowChange row : rows) {
            byKey.computeIfAbsent(row.table() + ":" + row.row().get("id"), k -> new ArrayList<>())
                    .add(row.type() + " " + values(row.row()) + (row.before() != null && row.after() != null
                            ? " before " + values(row.before()) : ""));
        }
        return byKey;
    }

    private static Map<String, Object> values(dev.canalboot.model.Row row) {
        Map<String, Object> values = new TreeMap<>();
        row.toMap().forEach((column, value) -> values.put(column, value instanceof byte[] bytes
                ? "0x" + HexFormat.of().formatHex(bytes) : value));
        return values;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalRelayAutoConfiguration.class,
            CanalKafkaAutoConfiguration.class})
    @EnableConfigurationProperties(KafkaProperties.class)
    static class App {
        static volatile String schema;
        final List<RowChange> direct = new CopyOnWriteArrayList<>();
        final List<RowChange> viaKafka = new CopyOnWriteArrayList<>();

        @CanalListener(source = "bin", table = "relay_rt_*.*")
        void direct(RowChange row) {
            if (row.schema().equals(schema)) {
                direct.add(row);
            }
        }

        @CanalListener(source = "kfk", table = "relay_rt_*.*")
        void viaKafka(RowChange row) {
            if (row.schema().equals(schema)) {
                viaKafka.add(row);
            }
        }
    }
}
