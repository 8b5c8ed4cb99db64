package dev.canalboot.kafka;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A record that is not a Canal message of the configured format fails the source, naming it and the way out. */
class KafkaSourceBadRecordIT {

    final EmbeddedKafkaBroker broker = TestServers.kafka();
    final String topic = "bad-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaChangeSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aFlatMessageReadAsProtobufFailsNamingPartitionOffsetAndTheFormatSetting() throws Exception {
        KafkaTopics.create(broker, topic, 1);
        KafkaTopics.send(broker, topic, 0, KafkaTopics.insert("bad", 1));
        source = new KafkaChangeSource(KafkaSourceSettings.builder("bad").bootstrapServers(broker.getBrokersAsString())
                .groupId("g-" + topic).topic(topic).format(MessageFormat.PROTOBUF).build());
        source.start();
        SourceException failure = null;
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (failure == null) {
            assertThat(System.nanoTime()).isLessThan(guard);
            try {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                assertThat(batch).as("nothing is delivered").isNull();
            } catch (SourceException e) {
                failure = e;
            }
        }
        assertThat(failure.getMessage()).contains("Kafka source 'bad'").contains(topic + "-0@0")
                .contains("not a Canal protobuf message").contains("kafka.format to flat");
        assertThat(failure.isRetryable()).isFalse();
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
    }

    @Test
    void anUnknownColumnTypeTextOrMissingImageIsAnErrorNotASkippedRow() throws Exception {
        KafkaTopics.create(broker, topic, 1);
        // An UPDATE whose 'old' is missing: the before image cannot be made
        KafkaTopics.send(broker, topic, 0, KafkaTopics.insert("bad", 1).replace("\"INSERT\"", "\"UPDATE\""));
        source = new KafkaChangeSource(KafkaSourceSettings.builder("bad").bootstrapServers(broker.getBrokersAsString())
                .groupId("g-" + topic).topic(topic).build());
        source.start();
        SourceException failure = null;
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (failure == null) {
            assertThat(System.nanoTime()).isLessThan(guard);
            try {
                assertThat(source.poll(Duration.ofMillis(200))).isNull();
            } catch (SourceException e) {
                failure = e;
            }
        }
        assertThat(failure.getMessage()).contains("UPDATE of bad.t").contains("'old' images");
    }
}
