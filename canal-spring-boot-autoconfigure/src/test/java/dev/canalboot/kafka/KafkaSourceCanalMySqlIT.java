package dev.canalboot.kafka;

import dev.canalboot.canal.CanalSourceContract;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka source reading what a real Canal 1.1.7 server in Kafka MQ mode (its own {@code connector.kafka}
 * producer, with the kafka-clients 2.4.0 it bundles) publishes of MySQL 8.0.31's binlog to a Kafka 4 (KRaft) broker,
 * in both formats, partitioned by primary key over three partitions.
 */
class KafkaSourceCanalMySqlIT {

    static final Duration WAIT = Duration.ofSeconds(60);

    final EmbeddedDatabase database = database();
    final EmbeddedKafkaBroker broker = TestServers.kafka();
    final List<AutoCloseable> closeables = new ArrayList<>();
    String schema;
    String topic;

    EmbeddedDatabase database() {
        return TestServers.mysql();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        if (schema != null) {
            database.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }

    void setUp(String name, MessageFormat format) {
        schema = ("ks_" + (getClass().getSimpleName().contains("Maria") ? "m_" : "y_") + name + "_" + format.name()).toLowerCase();
        topic = schema + "_" + UUID.randomUUID().toString().substring(0, 8);
        database.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema + " DEFAULT CHARACTER SET utf8mb4");
        KafkaTopics.create(broker, topic, 3);
    }

    void startCanal(MessageFormat format) {
        EmbeddedCanalServer canal = EmbeddedCanalServer.builder(database).destination(schema).filter(schema + "\\..*")
                .kafka(broker.getBrokersAsString(), topic, format == MessageFormat.FLAT, 3, schema + "\\..*:$pk$")
                .start();
        closeables.add(canal);
    }

    KafkaChangeSource source(MessageFormat format) {
        KafkaChangeSource source = new KafkaChangeSource(KafkaSourceSettings.builder("kafka-" + schema)
                .bootstrapServers(broker.getBrokersAsString())
                .groupId("g-" + topic)
                .topic(topic)
                .format(format)
                .serverZone(ZoneId.systemDefault()) // the Canal server runs in this JVM
                .checkInterval(Duration.ofSeconds(1))
                .build());
        closeables.add(source);
        source.start();
        return source;
    }

    @ParameterizedTest
    @EnumSource(MessageFormat.class)
    void everyColumnTypeEqualsWhatJdbcSelects(MessageFormat format) throws Exception {
        setUp("types", format);
        database.execute(CanalSourceContract.TYPES_TABLE.formatted(schema),
                CanalSourceContract.reversedTypesTable().formatted(schema));
        startCanal(format);
        KafkaChangeSource source = source(format);
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION sql_mode = ''");
        for (String row : CanalSourceContract.TYPE_ROWS) {
            statements.add(row.formatted(schema));
            statements.add(CanalSourceContract.reversedTypeRow(row).formatted(schema));
        }
        database.execute(statements.toArray(String[]::new));
        List<RowChange> all = rows(source, 2 * CanalSourceContract.TYPE_ROWS.length, r -> true);
        SoftAssertions soft = new SoftAssertions();
        for (String table : List.of("types", "types_reversed")) {
            List<RowChange> ofTable = all.stream().filter(r -> r.table().equals(table)).toList();
            soft.assertThat(ofTable).hasSize(CanalSourceContract.TYPE_ROWS.length);
            Map<Integer, Map<String, Object>> selected = CanalSourceContract.select(database,
                    "SELECT * FROM " + schema + "." + table, ofTable.get(0).tableSchema().columns());
            for (RowChange insert : ofTable) {
                soft.assertThat(insert.type()).isEqualTo(ChangeType.INSERT);
                int id = insert.after().getInteger("id");
                for (Column column : insert.tableSchema().columns()) {
                    if (CanalSourceContract.NON_UTF8_COLUMNS.contains(column.name()) && id == 3) {
                        continue; // Canal decodes non-UTF-8 columns with its connection charset (README, Canal source)
                    }
                    Object actual = insert.after().get(column.name());
                    soft.assertThat(actual).as("%s %s row %d column %s (%s)", format, table, id, column.name(),
                            column.type()).isEqualTo(selected.get(id).get(column.name()));
                    if (actual != null) {
                        soft.assertThat(actual).as("Java type of %s", column.name()).isInstanceOf(column.javaType());
                    }
                }
            }
            soft.assertThat(ofTable.get(0).primaryKey()).containsExactly("id");
        }
        soft.assertAll();
    }

    @ParameterizedTest
    @EnumSource(MessageFormat.class)
    void updatesDeletesAndDdlArriveWithFullImagesAndPerKeyOrder(MessageFormat format) throws Exception {
        setUp("changes", format);
        database.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, a VARCHAR(10), b INT, c DATETIME(3))");
        startCanal(format);
        KafkaChangeSource source = source(format);
        List<String> statements = new ArrayList<>();
        for (int id = 1; id <= 12; id++) {
            statements.add("INSERT INTO " + schema + ".t VALUES (" + id + ", 'a" + id + "', " + id
                    + ", '2024-01-02 03:04:05.678')");
        }
        for (int round = 1; round <= 3; round++) {
            statements.add("UPDATE " + schema + ".t SET b = b * 10 + " + round + " WHERE id <= 6");
        }
        statements.add("UPDATE " + schema + ".t SET a = NULL, c = NULL WHERE id = 7");
        statements.add("DELETE FROM " + schema + ".t WHERE id = 12");
        statements.add("ALTER TABLE " + schema + ".t ADD COLUMN d INT");
        statements.add("INSERT INTO " + schema + ".t VALUES (13, 'z', 13, NULL, 99)");
        database.execute(statements.toArray(String[]::new));
        List<ChangeEvent> events = events(source, e -> e instanceof RowChange r && r.after() != null
                && r.after().getInteger("id") == 13);
        List<RowChange> rows = events.stream().filter(e -> e instanceof RowChange).map(e -> (RowChange) e).toList();
        assertThat(rows).hasSize(12 + 18 + 1 + 1 + 1);
        for (int id = 1; id <= 6; id++) {
            int key = id;
            List<RowChange> ofKey = rows.stream().filter(r -> r.row().getInteger("id") == key).toList();
            assertThat(ofKey).extracting(RowChange::type).as("per-key order of id " + id)
                    .containsExactly(ChangeType.INSERT, ChangeType.UPDATE, ChangeType.UPDATE, ChangeType.UPDATE);
            int b = id;
            for (RowChange update : ofKey.subList(1, 4)) {
                assertThat(update.before().getInteger("b")).isEqualTo(b);
                b = b * 10 + ofKey.indexOf(update);
                assertThat(update.after().getInteger("b")).isEqualTo(b);
                assertThat(update.before().getString("a")).isEqualTo("a" + id);
                assertThat(update.after().getString("a")).isEqualTo("a" + id);
                assertThat(update.changedColumns()).containsExactly("b");
            }
        }
        RowChange nulled = rows.stream().filter(r -> r.type() == ChangeType.UPDATE && r.after().getInteger("id") == 7)
                .findFirst().orElseThrow();
        assertThat(nulled.before().getString("a")).isEqualTo("a7");
        assertThat(nulled.before().get("c")).isEqualTo(java.time.LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000));
        assertThat(nulled.after().get("a")).isNull();
        assertThat(nulled.after().get("c")).isNull();
        RowChange deleted = rows.stream().filter(r -> r.type() == ChangeType.DELETE).findFirst().orElseThrow();
        assertThat(deleted.before().getInteger("id")).isEqualTo(12);
        assertThat(events).filteredOn(e -> e instanceof SchemaChange).singleElement()
                .satisfies(e -> assertThat(((SchemaChange) e).sql()).containsIgnoringCase("ADD COLUMN d"));
        RowChange afterDdl = rows.stream().filter(r -> r.row().getInteger("id") == 13).findFirst().orElseThrow();
        assertThat(afterDdl.after().getInteger("d")).isEqualTo(99);
        // Canal 1.1.7's Kafka producer drops the transaction entries in both formats: no boundaries, none invented
        assertThat(events).noneMatch(e -> e instanceof TransactionBoundary);
        // Offsets per partition come with the source's next check (every second here)
        long guard = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (source.statistics().partitions().size() < 3) {
            assertThat(System.nanoTime()).as("offsets of all three partitions").isLessThan(guard);
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                source.ack(batch);
            }
        }
        assertThat(source.statistics().totalLag()).isZero();
    }

    /** What Canal 1.1.7 really writes as a flat message: the fields this source reads, for the README. */
    @Test
    void canalWritesTheFlatMessageFieldsTheSourceReads() throws Exception {
        setUp("fields", MessageFormat.FLAT);
        database.execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(10))");
        startCanal(MessageFormat.FLAT);
        database.execute("INSERT INTO " + schema + ".t VALUES (1, 'x')");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                broker.getBrokersAsString(), "group.id", "raw-" + topic, "auto.offset.reset", "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            String json = null;
            long guard = System.nanoTime() + WAIT.toNanos();
            while (json == null && System.nanoTime() < guard) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    // MariaDB's annotate-rows events come first, as QUERY messages without rows (skipped by the source)
                    if (value.contains("\"type\":\"INSERT\"")) {
                        json = value;
                    }
                }
            }
            assertThat(json).isNotNull();
            for (String field : List.of("\"data\":[{\"id\":\"1\",\"v\":\"x\"}]", "\"database\":\"" + schema + "\"",
                    "\"es\":", "\"gtid\":", "\"id\":", "\"isDdl\":false", "\"mysqlType\":{\"id\":\"int", "\"v\":\"varchar(10)\"}",
                    "\"old\":null", "\"pkNames\":[\"id\"]", "\"sql\":\"\"", "\"sqlType\":{\"id\":4,\"v\":12}",
                    "\"table\":\"t\"", "\"ts\":", "\"type\":\"INSERT\"")) {
                assertThat(json).contains(field);
            }
        }
    }

    List<RowChange> rows(KafkaChangeSource source, int count, Predicate<RowChange> filter) throws Exception {
        List<RowChange> rows = new ArrayList<>();
        long guard = System.nanoTime() + WAIT.toNanos();
        while (rows.size() < count) {
            assertThat(System.nanoTime()).as("%d of %d rows arrived", rows.size(), count).isLessThan(guard);
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                batch.events().stream().filter(e -> e instanceof RowChange).map(e -> (RowChange) e).filter(filter)
                        .forEach(rows::add);
                source.ack(batch);
            }
        }
        return rows;
    }

    List<ChangeEvent> events(KafkaChangeSource source, Predicate<ChangeEvent> last) throws Exception {
        List<ChangeEvent> events = new ArrayList<>();
        long guard = System.nanoTime() + WAIT.toNanos();
        while (events.stream().noneMatch(last)) {
            assertThat(System.nanoTime()).as("the last change arrived; so far %s", events).isLessThan(guard);
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                events.addAll(batch.events());
                source.ack(batch);
            }
        }
        Thread.sleep(500); // nothing more comes
        ChangeBatch extra = source.poll(Duration.ofMillis(300));
        if (extra != null) {
            events.addAll(extra.events());
            source.ack(extra);
        }
        return events;
    }
}
