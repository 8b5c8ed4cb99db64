package dev.canalboot.kafka;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener container over a Kafka source, serial and with listener concurrency (batches polled ahead and
 * acknowledged in order): every change arrives, each key in its partition's order, and the committed offsets reach
 * the end of every partition.
 */
class KafkaSourceContainerIT {

    static final int KEYS = 8;
    static final int CHANGES = 240;
    static final int PARTITIONS = 3;

    final EmbeddedKafkaBroker broker = TestServers.kafka();
    final String topic = "container-" + UUID.randomUUID().toString().substring(0, 8);
    final List<CanalListenerContainer> containers = new ArrayList<>();

    @AfterEach
    void stop() {
        containers.forEach(CanalListenerContainer::stop);
    }

    static String update(int key, int version) {
        return "{\"data\":[{\"id\":\"" + key + "\",\"v\":\"" + version + "\"}],\"database\":\"ct\",\"es\":"
                + 1_700_000_000_000L + ",\"gtid\":\"\",\"id\":1,\"isDdl\":false,\"mysqlType\":{\"id\":\"int\","
                + "\"v\":\"int\"},\"old\":[{\"v\":\"" + (version - 1) + "\"}],\"pkNames\":[\"id\"],\"sql\":\"\","
                + "\"sqlType\":{\"id\":4,\"v\":4},\"table\":\"t\",\"ts\":1700000000001,\"type\":\"UPDATE\"}";
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 4})
    void everyChangeArrivesInKeyOrderAndTheOffsetsReachTheEnd(int workers) throws Exception {
        KafkaTopics.create(broker, topic, PARTITIONS);
        Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
        Set<Integer> busy = ConcurrentHashMap.newKeySet();
        List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger rows = new AtomicInteger();
        Random jitter = new Random(workers);
        KafkaChangeSource source = new KafkaChangeSource(KafkaSourceSettings.builder("container")
                .bootstrapServers(broker.getBrokersAsString()).groupId("g-" + topic).topic(topic)
                .checkInterval(Duration.ofMillis(500))
                .consumerProperties(Map.of("max.poll.records", "7"))
                .build());
        EndpointInvoker invoker = new EndpointInvoker() {
            @Override
            public Kind kind() {
                return Kind.ROW;
            }

            @Override
            public void invoke(ChangeEvent event) {
                RowChange change = (RowChange) event;
                int key = change.after().getInteger("id");
                if (!busy.add(key)) {
                    overlaps.add("key " + key + " handled twice at once");
                }
                LockSupport.parkNanos(jitter.nextInt(200_000));
                if (change.before().getInteger("v") != change.after().getInteger("v") - 1) {
                    overlaps.add("before image of key " + key + ": " + change.before());
                }
                seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(change.after().getInteger("v"));
                busy.remove(key);
                rows.incrementAndGet();
            }

            @Override
            public void invokeBatch(List<RowChange> batch) {
                throw new UnsupportedOperationException();
            }
        };
        ListenerEndpoint endpoint = new ListenerEndpoint("t", "test#t", List.of(TablePattern.parse("ct.t")), Set.of(),
                "", invoker);
        CanalListenerContainer container = new CanalListenerContainer(source, List.of(endpoint),
                ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(200))
                        .withConcurrency(new ListenerConcurrency(workers, Ordering.KEY, 16)));
        containers.add(container);
        container.start();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTopics.producer(broker)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < CHANGES; i++) {
                int key = i % KEYS;
                sent.add(producer.send(new ProducerRecord<>(topic, key % PARTITIONS, null,
                        update(key, i / KEYS + 1).getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(); // a record the broker refused fails here, not as a row that never comes
            }
        }
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (rows.get() < CHANGES || source.statistics().totalLag() > 0
                || source.statistics().partitions().size() < PARTITIONS) {
            assertThat(System.nanoTime()).as("%d of %d rows, offsets %s", rows.get(), CHANGES,
                    source.statistics().partitions()).isLessThan(guard);
            Thread.sleep(100);
        }
        assertThat(rows.get()).as("each change once: no rebalance, no failure").isEqualTo(CHANGES);
        assertThat(overlaps).isEmpty();
        for (int key = 0; key < KEYS; key++) {
            List<Integer> expected = new ArrayList<>();
            for (int version = 1; version <= CHANGES / KEYS; version++) {
                expected.add(version);
            }
            assertThat(seen.get(key)).as("key %d in order", key).containsExactlyElementsOf(expected);
        }
        source.statistics().partitions().values()
                .forEach(offsets -> assertThat(offsets.committed()).isEqualTo(offsets.end()));
    }
}
