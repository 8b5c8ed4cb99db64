package dev.canalboot.source;

import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The lifecycle contract for the Kafka source on a KRaft broker of its own (not the shared one: a failure here is the
 * broker going away). It comes back on the same port, empty: the source's group has no committed offsets there and
 * reads from the start, which holds only what came meanwhile.
 */
class KafkaSourceLifecycleTest extends ChangeSourceLifecycleContract {

    static final String TOPIC = "lifecycle";

    final int port = freePort();
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
        // A fixed port, so that the broker comes back where the source looks for it (kafkaPorts does not do this
        // for KRaft brokers)
        started.brokerProperties(Map.of("offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "listeners", "EXTERNAL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:0"));
        started.afterPropertiesSet();
        if (!started.getBrokersAsString().endsWith(":" + port)) {
            throw new IllegalStateException("The test broker listens on " + started.getBrokersAsString() + ", not on "
                    + port);
        }
        started.addTopics(new NewTopic(TOPIC, 2, (short) 1));
        return started;
    }

    @Override
    protected ChangeSource newSource(int maxReconnectAttempts) {
        return new KafkaChangeSource(KafkaSourceSettings.builder("lifecycle-kafka")
                .bootstrapServers("127.0.0.1:" + port)
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

    @Override
    protected void breakServer(ChangeSource source) {
        broker.destroy();
        broker = null;
    }

    @Override
    protected void repairServer() {
        broker = newBroker();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
