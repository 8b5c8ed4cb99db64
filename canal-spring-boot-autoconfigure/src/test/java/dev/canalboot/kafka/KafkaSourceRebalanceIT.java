package dev.canalboot.kafka;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Kafka sources of one consumer group in one JVM: a rebalance while the first holds unfinished batches (as with
 * listener concurrency, which polls ahead).
 */
class KafkaSourceRebalanceIT {

    static final int PARTITIONS = 4;
    static final int ROWS = 40;

    final EmbeddedKafkaBroker broker = TestServers.kafka();
    final String topic = "rebalance-" + UUID.randomUUID().toString().substring(0, 8);
    final List<KafkaChangeSource> sources = new ArrayList<>();

    @AfterEach
    void close() {
        sources.forEach(KafkaChangeSource::close);
    }

    KafkaChangeSource source(String name) {
        KafkaChangeSource source = new KafkaChangeSource(KafkaSourceSettings.builder(name)
                .bootstrapServers(broker.getBrokersAsString())
                .groupId("group-" + topic)
                .topic(topic)
                .checkInterval(Duration.ofSeconds(1))
                .consumerProperties(Map.of("max.poll.records", "3"))
                .build());
        sources.add(source);
        source.start();
        return source;
    }

    @Test
    void acknowledgedChangesAreCommittedBeforeHandOverAndUnfinishedOnesComeAgain() throws Exception {
        KafkaTopics.create(broker, topic, PARTITIONS);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTopics.producer(broker)) {
            for (int id = 0; id < ROWS; id++) {
                producer.send(new ProducerRecord<>(topic, id % PARTITIONS, null,
                        KafkaTopics.insert("rb", id).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        KafkaChangeSource first = source("first");
        // The first member acknowledges some changes, then holds the next batches unfinished
        Set<Integer> acknowledged = new HashSet<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < 8) {
            assertThat(System.nanoTime()).isLessThan(guard);
            ChangeBatch batch = first.poll(Duration.ofMillis(200));
            if (batch != null) {
                acknowledged.addAll(ids(batch));
                first.ack(batch);
            }
        }
        List<ChangeBatch> held = new ArrayList<>();
        while (held.isEmpty()) {
            ChangeBatch batch = first.poll(Duration.ofMillis(200));
            if (batch != null && !batch.isEmpty()) {
                held.add(batch);
            }
        }
        Set<Integer> heldIds = new HashSet<>();
        held.forEach(b -> heldIds.addAll(ids(b)));

        // A second member joins; the first keeps polling (without finishing what it holds) until it is rebalanced
        List<Integer> second = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        KafkaChangeSource secondSource = source("second");
        Thread secondMember = new Thread(() -> {
            try {
                while (!stop.get()) {
                    ChangeBatch batch = secondSource.poll(Duration.ofMillis(100));
                    if (batch != null) {
                        second.addAll(ids(batch));
                        secondSource.ack(batch);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "second-member");
        secondMember.start();
        try {
            guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<Integer> firstAfter = new ArrayList<>();
            ChangeBatch afterRevocation = null;
            while (first.statistics().abandonedBatches() == 0) {
                assertThat(System.nanoTime()).as("the first member was rebalanced").isLessThan(guard);
                ChangeBatch batch = first.poll(Duration.ofMillis(100));
                if (batch != null && first.statistics().abandonedBatches() == 0) {
                    held.add(batch);
                } else if (batch != null) {
                    afterRevocation = batch; // the poll that rebalanced also fetched from the new assignment
                    firstAfter.addAll(ids(batch));
                }
            }
            // Its listeners return now, in order: the acknowledgements of revoked partitions commit nothing
            for (ChangeBatch batch : held) {
                first.ack(batch);
            }
            if (afterRevocation != null) {
                first.ack(afterRevocation);
            }
            guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Set<Integer> delivered = new HashSet<>(acknowledged);
            while (true) {
                delivered.addAll(firstAfter);
                synchronized (second) {
                    delivered.addAll(second);
                }
                delivered.addAll(heldIds);
                if (delivered.size() == ROWS && secondHasOrFirstHas(second, firstAfter, heldIds)) {
                    break;
                }
                assertThat(System.nanoTime()).as("held %s came again; first read %s, second %s", heldIds, firstAfter,
                        second).isLessThan(guard);
                ChangeBatch batch = first.poll(Duration.ofMillis(100));
                if (batch != null) {
                    firstAfter.addAll(ids(batch));
                    first.ack(batch);
                }
            }
            List<Integer> afterRebalance = new ArrayList<>(firstAfter);
            synchronized (second) {
                afterRebalance.addAll(second);
            }
            assertThat(afterRebalance).as("acknowledged before the rebalance: committed, never read again")
                    .doesNotContainAnyElementsOf(acknowledged);
            assertThat(afterRebalance).as("unfinished at the rebalance: read again by the partitions' owners")
                    .containsAll(heldIds);
            assertThat(second).as("the second member got partitions").isNotEmpty();
            synchronized (second) {
                for (int p = 0; p < PARTITIONS; p++) {
                    int partition = p;
                    List<Integer> ofPartition = second.stream().filter(id -> id % PARTITIONS == partition).toList();
                    assertThat(ofPartition).as("partition %d in order", p).isSorted();
                }
            }
        } finally {
            stop.set(true);
            secondMember.join(10_000);
        }
    }

    private static boolean secondHasOrFirstHas(List<Integer> second, List<Integer> first, Set<Integer> ids) {
        Set<Integer> again = new HashSet<>(first);
        synchronized (second) {
            again.addAll(second);
        }
        return again.containsAll(ids);
    }

    private static List<Integer> ids(ChangeBatch batch) {
        List<Integer> ids = new ArrayList<>();
        for (ChangeEvent event : batch.events()) {
            ids.add(((RowChange) event).after().getInteger("id"));
        }
        return ids;
    }
}
