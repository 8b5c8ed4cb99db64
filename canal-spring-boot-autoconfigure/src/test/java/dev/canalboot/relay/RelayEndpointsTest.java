package dev.canalboot.relay;

import dev.canalboot.testsupport.RowListeners;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.listener.container.ListenerErrorHandler;
import dev.canalboot.listener.container.ListenerFailure;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.RetryPolicy;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay's endpoints in a real listener container, over an in-memory source and kafka-clients' MockProducer
 * (unit level; the broker is in {@link RelayToKafkaIT}).
 */
class RelayEndpointsTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Events events = new Events("s");
    private final InMemoryChangeSource source = new InMemoryChangeSource("s");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final RelayEndpoints relay = new RelayEndpoints(kafkaRelay());

    /** A relay of source "s" into topic "t" (one partition) through the mock producer. */
    private KafkaRelay kafkaRelay() {
        return new KafkaRelay("s", producer, JSON, new FlatMessages(new CanalColumnText(ZoneOffset.UTC)),
                new TopicRouter("t", List.of()), new PartitionHash(1, List.of(), true), Duration.ofSeconds(5));
    }

    @Test
    void aBatchRolledBackByAnotherListenerIsRelayedOnceWhenItComesAgain() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        ListenerEndpoint failing = RowListeners.endpoint("app", "s", "*.*", event -> {
            if (((RowChange) event).row().getLong("id") == 2 && failOnce.getAndSet(false)) {
                throw new IllegalStateException("listener failed once");
            }
        });
        List<ListenerEndpoint> endpoints = new ArrayList<>(List.of(failing));
        endpoints.addAll(relay.endpoints());
        ContainerSettings settings = relay.settings(ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry()));
        CanalListenerContainer container = new CanalListenerContainer(source, endpoints, settings);

        RowChange first = events.insert(Events.ORDERS, Events.order(1, "A-1", "1.00", 1));
        RowChange second = events.insert(Events.ORDERS, Events.order(2, "A-2", "2.00", 2));
        ChangeBatch batch = source.offer(first, second);
        container.start();
        source.awaitRolledBack(batch);
        InMemoryChangeSource.await(() -> container.getState() == ContainerState.FAILED, "container failed");

        ChangeBatch again = source.offer(first, second);
        container.start();
        source.awaitAcked(again);
        container.stop();

        List<Long> relayedIds = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            JsonNode message = JSON.readTree(record.value());
            message.get("data").forEach(row -> relayedIds.add(Long.parseLong(row.get("id").asString())));
        }
        // Without the reset at batch start, the first row held from the rolled-back batch goes out twice.
        assertThat(relayedIds).containsExactly(1L, 2L);
    }

    @Test
    void excludedTablesAreNotPublishedAndTheirBatchesAreAcknowledged() throws Exception {
        RelayEndpoints narrowed = new RelayEndpoints(kafkaRelay(), List.of(TablePattern.parse("shop.*")),
                List.of(TablePattern.parse("*.customers")));
        CanalListenerContainer container = new CanalListenerContainer(source, narrowed.endpoints(),
                narrowed.settings(ContainerSettings.defaults()));
        ChangeBatch batch = source.offer(
                events.insert(Events.ORDERS, Events.order(1, "A-1", "1.00", 1)),
                events.customer(7, "Ann"),
                events.contact(8, "Bob"),
                events.ddl("shop", "customers", "ALTER TABLE customers ADD x INT"),
                events.ddl("shop", "orders", "ALTER TABLE orders ADD note TEXT"));
        container.start();
        source.awaitAcked(batch);
        container.stop();

        List<String> published = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : producer.history()) {
            JsonNode message = JSON.readTree(record.value());
            published.add(message.get("table").asString() + (message.get("isDdl").asBoolean() ? " ddl" : " row"));
        }
        assertThat(published).containsExactly("orders row", "orders ddl");
    }

    @Test
    void aRelayedSourceRunsItsListenersSerially() {
        ContainerSettings concurrent = ContainerSettings.defaults()
                .withConcurrency(ListenerConcurrency.SERIAL.withWorkers(4));
        assertThatThrownBy(() -> relay.settings(concurrent)).hasMessageContaining("concurrency 4");
    }

    @Test
    void aRelayFailureStopsTheContainerWhateverTheErrorHandlerSays() throws Exception {
        ContainerSettings skipping = relay.settings(ContainerSettings.defaults()
                .withErrorHandler(ListenerErrorHandler.skipAndLog()));
        RelaySendException error = new RelaySendException("Kafka did not acknowledge", null);
        assertThat(skipping.retryClassifier().isRetryable(error)).isFalse();
        ListenerEndpoint rows = relay.endpoints().get(0);
        assertThat(skipping.errorHandler().handle(new ListenerFailure("s", rows, List.of(), error, 1)))
                .isEqualTo(ListenerErrorHandler.Action.STOP);
    }
}
