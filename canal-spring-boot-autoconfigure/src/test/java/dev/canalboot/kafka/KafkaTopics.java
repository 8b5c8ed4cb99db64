package dev.canalboot.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Topics and plain records on a test broker. */
final class KafkaTopics {

    private KafkaTopics() {
    }

    static void create(EmbeddedKafkaBroker broker, String topic, int partitions) {
        dev.canalboot.testsupport.TopicLeaders.create(broker, topic, partitions);
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", broker.getBrokersAsString(), "acks", "all",
                "enable.idempotence", "true"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void send(EmbeddedKafkaBroker broker, String topic, int partition, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            producer.send(new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** A flat message of one INSERT into {@code db.t (id INT PRIMARY KEY, v VARCHAR(20))}, as Canal 1.1.7 writes it. */
    static String insert(String db, int id) {
        return "{\"data\":[{\"id\":\"" + id + "\",\"v\":\"row " + id + "\"}],\"database\":\"" + db + "\",\"es\":"
                + 1_700_000_000_000L + ",\"gtid\":\"\",\"id\":" + id + ",\"isDdl\":false,\"mysqlType\":{\"id\":\"int\","
                + "\"v\":\"varchar(20)\"},\"old\":null,\"pkNames\":[\"id\"],\"sql\":\"\",\"sqlType\":{\"id\":4,\"v\":12},"
                + "\"table\":\"t\",\"ts\":1700000000001,\"type\":\"INSERT\"}";
    }
}
