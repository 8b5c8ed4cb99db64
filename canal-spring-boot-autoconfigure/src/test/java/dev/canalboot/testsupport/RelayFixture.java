package dev.canalboot.testsupport;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The set-up the relay's tests share: the shared MySQL 8.0.31 and Kafka broker, the properties of a binlog source
 * relaying to a topic, the application run with them, and a topic's records read back with a plain consumer.
 */
public final class RelayFixture {

    public final EmbeddedMySql db;
    public final DatabaseUser user;
    public final EmbeddedKafkaBroker kafka;

    private RelayFixture() {
        this.db = TestServers.mysql();
        this.user = db.nativePasswordUser();
        this.kafka = TestServers.kafka();
    }

    /** The shared servers (started on first use). */
    public static RelayFixture servers() {
        return new RelayFixture();
    }

    public void createTopic(String topic, int partitions) {
        TopicLeaders.create(kafka, topic, partitions);
    }

    /**
     * A binlog source under {@code prefix} ({@code canal.source} or {@code canal.sources.<name>}) on the shared MySQL,
     * relaying to {@code topic} over {@code partitions} (TIMESTAMP text in UTC), and the broker's address.
     */
    public List<String> relayingSource(String prefix, String topic, int partitions) {
        return new ArrayList<>(List.of(prefix + ".host=" + db.host(), prefix + ".port=" + db.port(),
                prefix + ".username=" + user.name(), prefix + ".password=" + user.password(),
                prefix + ".ssl.mode=disabled", prefix + ".relay.enabled=true", prefix + ".relay.topic=" + topic,
                prefix + ".relay.partitions=" + partitions, prefix + ".relay.time-zone=UTC",
                "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString()));
    }

    /** The same, as command-line arguments ({@code --key=value}) of a JVM or {@code SpringApplication}. */
    public List<String> relayingSourceArguments(String prefix, String topic, int partitions) {
        return relayingSource(prefix, topic, partitions).stream().map(property -> "--" + property)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** Application {@code app} (no web server) with {@code properties}. */
    public static ConfigurableApplicationContext run(Class<?> app, List<String> properties) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    /** Every record of {@code topic} from the beginning to the end offsets of now, in partition order. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() - guard > 0) {
                    throw new IllegalStateException("Topic " + topic + " not read to its end offsets " + end
                            + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
