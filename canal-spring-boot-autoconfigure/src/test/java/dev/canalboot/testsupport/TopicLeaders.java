package dev.canalboot.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * New topics on a test broker, usable once made: a producer that writes to a partition whose leader the broker has
 * not taken up yet gets NOT_LEADER_OR_FOLLOWER, and an idempotent one can then be refused its later batches for
 * their sequence numbers (records lost to the test, seen on a loaded machine).
 */
public final class TopicLeaders {

    private TopicLeaders() {
    }

    /** Creates {@code topic} with {@code partitions} partitions and waits until each has a leader. */
    public static void create(EmbeddedKafkaBroker broker, String topic, int partitions) {
        broker.addTopics(new NewTopic(topic, partitions, (short) 1));
        await(broker.getBrokersAsString(), topic, partitions);
    }

    /** Waits (up to a minute) until the broker describes {@code partitions} partitions of {@code topic}, each led. */
    public static void await(String bootstrapServers, String topic, int partitions) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            while (true) {
                TopicDescription description = null;
                try {
                    description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(topic);
                } catch (java.util.concurrent.ExecutionException e) {
                    // not known to the broker's metadata yet
                }
                if (description != null && description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Topic " + topic + " has no leader for each of its " + partitions
                            + " partitions after a minute: " + description);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the leaders of " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("The broker did not describe " + topic + " within 10 s", e);
        }
    }
}
