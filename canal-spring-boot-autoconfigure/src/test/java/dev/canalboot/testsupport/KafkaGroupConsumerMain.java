package dev.canalboot.testsupport;

import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.model.ChangeBatch;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A member of the consumer group {@code dev.canalboot.kafka.KafkaGroupKillIT} kills with SIGKILL: a Kafka source in a poll → log
 * (fsync'd) → ack loop, until killed. Prints {@code READY} once the source started. Arguments: bootstrapServers
 * group topic deliveryLog.
 */
public final class KafkaGroupConsumerMain {

    public static void main(String[] args) throws Exception {
        KafkaSourceSettings settings = KafkaSourceSettings.builder("group-member")
                .bootstrapServers(args[0])
                .groupId(args[1])
                .topic(args[2])
                .checkInterval(Duration.ofSeconds(1))
                // A short session (the test broker allows it): a killed member's partitions move on after 3 s
                .consumerProperty("session.timeout.ms", "3000")
                .consumerProperty("heartbeat.interval.ms", "500")
                .consumerProperty("max.poll.records", "50")
                .build();
        try (DeliveryLog log = new DeliveryLog(Path.of(args[3]), "kg.t");
             KafkaChangeSource source = new KafkaChangeSource(settings)) {
            source.start();
            System.out.println("READY");
            while (true) {
                ChangeBatch batch = source.poll(Duration.ofSeconds(1));
                if (batch != null) {
                    log.append(batch);
                    source.ack(batch);
                }
            }
        }
    }
}
