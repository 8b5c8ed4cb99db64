package dev.canalboot.relay;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.testsupport.Events;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One source's relay to Kafka over kafka-clients' MockProducer: which messages a run of rows makes, where they go,
 * and that the end of a batch returns only once Kafka acknowledged every message (failing otherwise).
 */
class KafkaRelayTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TableSchema ORDERS = Events.ORDERS;

    private final Events events = new Events("s");

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaRelay relay(MockProducer<byte[], byte[]> producer, int partitions, Duration sendTimeout,
                                    String... dynamicTopic) {
        return new KafkaRelay("s", producer, JSON, new FlatMessages(new CanalColumnText(ZoneOffset.UTC)),
                new TopicRouter("fallback", List.of(dynamicTopic)), new PartitionHash(partitions,
                List.of(".*\\..*:$pk$"), true), sendTimeout);
    }

    private static RowChange insertAt(SourcePosition position, long id) {
        return new RowChange("s", ORDERS, ChangeType.INSERT, null, new Row(ORDERS, Events.order(id, "o" + id, "1.00", 1)),
                position, Instant.EPOCH);
    }

    private static JsonNode json(ProducerRecord<byte[], byte[]> record) {
        return JSON.readTree(record.value());
    }

    private static List<Long> ids(JsonNode message) {
        List<Long> ids = new ArrayList<>();
        message.get("data").forEach(row -> ids.add(Long.parseLong(row.get("id").asString())));
        return ids;
    }

    @Test
    void rowsOfOneRowsEventMakeOneMessageAndAnotherEventOrBatchStartsTheNext() {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaRelay relay = relay(producer, 1, Duration.ofSeconds(5));
        SourcePosition event1 = new SourcePosition("binlog.000001", 1000, null);
        SourcePosition event2 = new SourcePosition("binlog.000001", 2000, null);

        relay.row(1, insertAt(event1, 1));
        relay.row(1, insertAt(event1, 2));
        relay.row(1, insertAt(event2, 3));
        relay.row(2, insertAt(event2, 4));
        relay.row(2, events.delete(ORDERS, Events.order(5, "o5", "1.00", 1)));
        assertThat(producer.history()).as("nothing is sent before the run ends").hasSize(3);
        relay.endOfBatch();

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(4);
        assertThat(sent).allSatisfy(record -> {
            assertThat(record.topic()).isEqualTo("fallback");
            assertThat(record.partition()).isZero();
            assertThat(record.key()).isNull();
        });
        assertThat(ids(json(sent.get(0)))).containsExactly(1L, 2L);
        assertThat(ids(json(sent.get(1)))).containsExactly(3L);
        assertThat(json(sent.get(2)).get("id").asLong()).as("the batch id").isEqualTo(2);
        assertThat(ids(json(sent.get(2)))).containsExactly(4L);
        assertThat(json(sent.get(3)).get("type").asString()).isEqualTo("DELETE");
        assertThat(relay.messagesSent()).isEqualTo(4);
    }

    @Test
    void aDdlFollowsTheRowsBeforeItAndGoesToItsTablesTopicOrTheDefaultOne() {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaRelay relay = relay(producer, 1, Duration.ofSeconds(5), "ddl_topic:shop\\.orders");

        relay.row(1, events.insert(ORDERS, Events.order(1, "o1", "1.00", 1)));
        relay.ddl(1, events.ddl("shop", "orders", "ALTER TABLE orders ADD note TEXT"));
        relay.ddl(1, events.ddl(null, null, "CREATE DATABASE other"));

        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly("ddl_topic", "ddl_topic", "fallback");
        assertThat(json(sent.get(0)).get("isDdl").asBoolean()).isFalse();
        assertThat(json(sent.get(1)).get("isDdl").asBoolean()).isTrue();
        assertThat(json(sent.get(1)).get("sql").asString()).isEqualTo("ALTER TABLE orders ADD note TEXT");
        assertThat(relay.messagesSent()).as("a DDL waits for itself and what came before").isEqualTo(3);
    }

    @Test
    void withSeveralPartitionsEachRowGoesToItsKeysPartitionInOrder() {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaRelay relay = relay(producer, 3, Duration.ofSeconds(5));
        PartitionHash hash = new PartitionHash(3, List.of(".*\\..*:$pk$"), true);
        SourcePosition event = new SourcePosition("binlog.000001", 1000, null);

        for (long id = 1; id <= 12; id++) {
            relay.row(1, insertAt(event, id));
        }
        relay.endOfBatch();

        List<Long> seen = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            List<Long> ids = ids(json(record));
            assertThat(ids).as("rows in their order within a partition").isSorted();
            for (long id : ids) {
                assertThat(record.partition()).as("row %d", id)
                        .isEqualTo(hash.partition("shop", "orders", List.of("id"), Map.of("id", Long.toString(id))));
            }
            seen.addAll(ids);
        }
        assertThat(seen).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(producer.history()).extracting(ProducerRecord::partition).as("one message per partition")
                .doesNotHaveDuplicates().hasSizeGreaterThan(1);
    }

    @Test
    void theEndOfABatchWaitsUntilKafkaAcknowledgedEveryMessage() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaRelay relay = relay(producer, 1, Duration.ofSeconds(60));
        relay.row(1, events.insert(ORDERS, Events.order(1, "o1", "1.00", 1)));
        relay.row(1, events.insert(ORDERS, Events.order(2, "o2", "1.00", 1)));

        CompletableFuture<Void> end = CompletableFuture.runAsync(relay::endOfBatch);
        awaitSent(producer, 2);
        producer.completeNext();
        assertThat(end).as("one of two messages acknowledged").isNotDone();
        producer.completeNext();

        end.get(30, TimeUnit.SECONDS);
        assertThat(relay.messagesSent()).isEqualTo(2);
    }

    @Test
    void aMessageKafkaRefusesFailsTheEndOfTheBatch() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaRelay relay = relay(producer, 1, Duration.ofSeconds(60));
        relay.row(1, events.insert(ORDERS, Events.order(1, "o1", "1.00", 1)));

        CompletableFuture<Void> end = CompletableFuture.runAsync(relay::endOfBatch);
        awaitSent(producer, 1);
        producer.errorNext(new IllegalStateException("broker says no"));

        assertThatThrownBy(() -> end.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RelaySendException.class)
                .hasMessageContaining("Relay of source 's'").hasMessageContaining("broker says no")
                .hasMessageContaining("rolled back, not acknowledged");
        assertThat(relay.messagesSent()).isZero();
    }

    @Test
    void kafkaNotAcknowledgingWithinTheSendTimeoutFailsTheBatchNamingTheProperty() {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaRelay relay = relay(producer, 1, Duration.ofMillis(200));
        relay.row(1, events.insert(ORDERS, Events.order(1, "o1", "1.00", 1)));

        assertThatThrownBy(relay::endOfBatch).isInstanceOf(RelaySendException.class)
                .hasMessageContaining("within PT0.2S").hasMessageContaining("relay.send-timeout");
    }

    @Test
    void aSendThatThrowsFailsAtOnce() {
        MockProducer<byte[], byte[]> producer = producer(true);
        producer.sendException = new IllegalStateException("producer closed");
        KafkaRelay relay = relay(producer, 1, Duration.ofSeconds(5));
        relay.row(1, events.insert(ORDERS, Events.order(1, "o1", "1.00", 1)));

        assertThatThrownBy(relay::endOfBatch).isInstanceOf(RelaySendException.class)
                .hasMessageContaining("sending to fallback-0 failed").hasMessageContaining("producer closed");
    }

    @Test
    void discardedRowsAreNotSent() {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaRelay relay = relay(producer, 1, Duration.ofSeconds(5));
        relay.row(1, events.insert(ORDERS, Events.order(1, "o1", "1.00", 1)));

        relay.discard();
        relay.endOfBatch();

        assertThat(producer.history()).isEmpty();
        assertThat(relay.sourceName()).isEqualTo("s");
    }

    private static void awaitSent(MockProducer<byte[], byte[]> producer, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (producer.history().size() < count) {
            assertThat(System.nanoTime()).as("%d messages sent within 30 s", count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
