package dev.canalboot.source;

import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lifecycle contract for the Kafka source on a KRaft broker of its own (not the shared one: a failure here is the
 * broker going away, see {@link #startedAgainAfterAFailureItDeliversWhatCameMeanwhile()}).
 */
class KafkaSourceLifecycleIT extends ChangeSourceLifecycleContract {

    static final String TOPIC = "lifecycle";

    EmbeddedKafkaKraftBroker broker;

    @BeforeEach
    void startBroker() {
        broker = newBroker();
    }

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.destroy();
        }
    }

    EmbeddedKafkaKraftBroker newBroker() {
        EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
        started.brokerProperties(Map.of("offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        started.afterPropertiesSet();
        started.addTopics(new NewTopic(TOPIC, 2, (short) 1));
        dev.canalboot.testsupport.TopicLeaders.await(started.getBrokersAsString(), TOPIC, 2);
        return started;
    }

    @Override
    protected ChangeSource newSource(int maxReconnectAttempts) {
        return new KafkaChangeSource(KafkaSourceSettings.builder("lifecycle-kafka")
                .bootstrapServers(broker.getBrokersAsString())
                .groupId("lifecycle")
                .topic(TOPIC)
                .connectTimeout(Duration.ofSeconds(2))
                .checkInterval(Duration.ofMillis(300))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .maxReconnectAttempts(maxReconnectAttempts)
                .consumerProperties(Map.of("reconnect.backoff.max.ms", "500"))
                .build());
    }

    @Override
    protected String table() {
        return "lc.t";
    }

    @Override
    protected void insert(int id) throws Exception {
        String json = "{\"data\":[{\"id\":\"" + id + "\"}],\"database\":\"lc\",\"es\":1700000000000,\"gtid\":\"\","
                + "\"id\":" + id + ",\"isDdl\":false,\"mysqlType\":{\"id\":\"int\"},\"old\":null,\"pkNames\":[\"id\"],"
                + "\"sql\":\"\",\"sqlType\":{\"id\":4},\"table\":\"t\",\"ts\":1700000000001,\"type\":\"INSERT\"}";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.getBrokersAsString()), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, id % 2, null, json.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /**
     * The contract's version, up to the failure: the embedded KRaft broker cannot come back on the port the source
     * was given (it binds a new one; neither kafkaPorts nor a listeners override keeps it), so the part after
     * {@code repairServer} is not run for this source ({@code KafkaChangeSourceTest} starts one again after a
     * failure on an in-memory consumer).
     */
    @Override
    @Test
    void startedAgainAfterAFailureItDeliversWhatCameMeanwhile() throws Exception {
        ChangeSource source = source(1);
        source.start();
        insert(21);
        List<Integer> seen = new ArrayList<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!seen.contains(21)) {
            assertThat(System.nanoTime()).as("row 21 arrived").isLessThan(guard);
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                batch.events().forEach(e -> seen.add(((RowChange) e).after().getInteger("id")));
                source.ack(batch);
            }
        }
        assertThat(seen).containsExactly(21);
        breakServer(source);
        SourceException failure = null;
        guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (failure == null) {
            assertThat(System.nanoTime()).as("the source failed; state %s", source.state()).isLessThan(guard);
            try {
                assertThat(source.poll(Duration.ofMillis(200))).isNull();
            } catch (SourceException e) {
                failure = e;
            }
        }
        assertThat(failure.getMessage()).contains(source.name()).contains("gave up reconnecting")
                .contains("after 1 attempts");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.statistics().reconnects()).as("the one attempt").isEqualTo(1);
        assertThat(source.lastError()).isSameAs(failure);
        assertThatThrownBy(() -> source.poll(Duration.ofMillis(10))).isSameAs(failure);
        source.close();
        assertThat(source.state()).as("closing a failed source keeps why it failed").isEqualTo(SourceState.FAILED);
        assertThat(source.lastError()).isSameAs(failure);
        assertThatThrownBy(() -> source.poll(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Override
    protected void breakServer(ChangeSource source) {
        broker.destroy();
        broker = null;
    }

    @Override
    protected void repairServer() {
        broker = newBroker();
    }
}
