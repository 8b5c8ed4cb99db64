package dev.canalboot.kafka;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kafka source on kafka-clients' in-memory consumer: which offsets an acknowledgement commits, rollbacks,
 * revocations, and the shared lifecycle (lost connection, reconnect limit, close, start again). The real-broker
 * behaviour is in {@code KafkaSource*IT} and {@code KafkaSourceLifecycleIT}.
 */
class KafkaChangeSourceTest {

    static final String TOPIC = "orders";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** The consumers the source asks for, in order; a {@link KafkaException} in place of one is a failed attempt. */
    final Deque<Object> consumers = new ArrayDeque<>();
    final List<Map<String, Object>> configurations = new ArrayList<>();
    final List<KafkaChangeSource> sources = new ArrayList<>();
    int decodeThreads = KafkaSourceSettings.DEFAULT_DECODE_THREADS;

    @AfterEach
    void close() {
        sources.forEach(KafkaChangeSource::close);
    }

    KafkaChangeSource source(int maxReconnectAttempts) {
        KafkaSourceSettings settings = KafkaSourceSettings.builder("orders-kafka")
                .bootstrapServers("broker-1:9092")
                .groupId("g")
                .topic(TOPIC)
                .checkInterval(Duration.ofHours(1))
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .maxReconnectAttempts(maxReconnectAttempts)
                .decodeThreads(decodeThreads)
                .build();
        Function<Map<String, Object>, Consumer<byte[], ByteBuffer>> factory = configuration -> {
            configurations.add(configuration);
            Object next = consumers.poll();
            if (next instanceof KafkaException e) {
                throw e;
            }
            assertThat(next).as("a consumer left for the source").isNotNull();
            @SuppressWarnings("unchecked")
            Consumer<byte[], ByteBuffer> consumer = (Consumer<byte[], ByteBuffer>) next;
            return consumer;
        };
        KafkaChangeSource source = new KafkaChangeSource(settings, factory);
        sources.add(source);
        return source;
    }

    /** An in-memory consumer that remembers what was committed, also after it was closed. */
    static final class Recording extends MockConsumer<byte[], ByteBuffer> {

        final Map<TopicPartition, Long> commits = new HashMap<>();
        final List<String> log = new ArrayList<>();

        Recording() {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             OffsetCommitCallback callback) {
            record("async", offsets);
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            record("sync", offsets);
            super.commitSync(offsets);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            record("sync", offsets);
            super.commitSync(offsets, timeout);
        }

        private void record(String how, Map<TopicPartition, OffsetAndMetadata> offsets) {
            log.add(how + " " + offsets);
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
        }
    }

    /** A consumer that assigns itself both partitions at its first poll, each starting at offset 0. */
    static Recording consumer() {
        Recording consumer = new Recording();
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0, P1)));
        return consumer;
    }

    static void add(MockConsumer<byte[], ByteBuffer> consumer, TopicPartition partition, long offset, int id) {
        String json = "{\"data\":[{\"id\":\"" + id + "\"}],\"database\":\"shop\",\"es\":1700000000000,\"gtid\":\"\","
                + "\"id\":" + id + ",\"isDdl\":false,\"mysqlType\":{\"id\":\"int\"},\"old\":null,\"pkNames\":[\"id\"],"
                + "\"sql\":\"\",\"sqlType\":{\"id\":4},\"table\":\"orders\",\"ts\":1700000000001,\"type\":\"INSERT\"}";
        // As from the consumer: a view into a larger fetched buffer, not starting at its array's first byte
        byte[] fetched = ("garbage" + json + "garbage").getBytes(StandardCharsets.UTF_8);
        ByteBuffer value = ByteBuffer.wrap(fetched, 3, fetched.length - 6).slice()
                .position(4).limit(4 + json.length());
        consumer.addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, value));
    }

    static List<Integer> ids(ChangeBatch batch) {
        List<Integer> ids = new ArrayList<>();
        for (ChangeEvent event : batch.events()) {
            ids.add(((RowChange) event).after().getInteger("id"));
        }
        return ids;
    }

    /** A started source on {@code consumer}, its partitions assigned by a first poll. */
    KafkaChangeSource assigned(Recording consumer) throws InterruptedException {
        consumers.add(consumer);
        KafkaChangeSource source = source(3);
        source.start();
        assertThat(source.poll(Duration.ZERO)).as("the first poll assigns the partitions").isNull();
        return source;
    }

    /** Polls until a batch comes (the first poll of a consumer only assigns its partitions). */
    static ChangeBatch next(KafkaChangeSource source) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            ChangeBatch batch = source.poll(Duration.ZERO);
            if (batch != null) {
                return batch;
            }
        }
        throw new AssertionError("no batch; state " + source.state());
    }

    static Map<TopicPartition, Long> committed(Recording consumer) {
        return consumer.commits;
    }

    @Test
    void anAcknowledgementCommitsItsBatchOnlyAndCloseCommitsWhatWasAcknowledged() throws Exception {
        Recording consumer = consumer();
        consumers.add(consumer);
        KafkaChangeSource source = source(3);
        source.start();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(configurations.get(0)).containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed").containsEntry("group.id", "g");
        assertThat(source.poll(Duration.ZERO)).as("the first poll assigns the partitions").isNull();

        add(consumer, P0, 0, 1);
        add(consumer, P1, 0, 2);
        ChangeBatch first = next(source);
        assertThat(ids(first)).containsExactlyInAnyOrder(1, 2);
        add(consumer, P0, 1, 3);
        ChangeBatch second = next(source);
        assertThat(ids(second)).containsExactly(3);
        assertThat(committed(consumer)).as("nothing acknowledged yet").isEmpty();

        source.ack(first);
        assertThat(committed(consumer)).isEqualTo(Map.of(P0, 1L, P1, 1L));
        assertThatThrownBy(() -> source.ack(new ChangeBatch(second.id() + 1, List.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the older batch");

        source.close();
        assertThat(committed(consumer)).as("the second batch was never acknowledged")
                .isEqualTo(Map.of(P0, 1L, P1, 1L));
        assertThat(consumer.closed()).isTrue();
        assertThat(source.state()).isEqualTo(SourceState.STOPPED);
        assertThat(source.statistics().bytesRead()).isPositive();
        assertThat(source.statistics().server()).isEqualTo("broker-1:9092");
        assertThat(source.statistics().lastEventTimestamp()).isNotNull();
    }

    @Test
    void aRollbackSeeksItsBatchAndTheLaterOnesBack() throws Exception {
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        add(consumer, P0, 0, 1);
        ChangeBatch first = next(source);
        add(consumer, P0, 1, 2);
        ChangeBatch second = next(source);
        source.ack(first);

        source.rollback(second);
        assertThat(consumer.position(P0)).isEqualTo(1);
        source.ack(second); // rolled back: commits nothing
        assertThat(committed(consumer)).isEqualTo(Map.of(P0, 1L));
        add(consumer, P0, 0, 1); // the partition as the broker has it: read from the position sought
        add(consumer, P0, 1, 2);
        assertThat(ids(next(source))).as("delivered again").containsExactly(2);
    }

    @Test
    void revokedPartitionsCommitWhatWasAcknowledgedAndTheirUnfinishedBatchesCommitNothing() throws Exception {
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        add(consumer, P0, 0, 1);
        ChangeBatch acknowledged = next(source);
        add(consumer, P1, 0, 2);
        ChangeBatch unfinished = next(source);
        source.ack(acknowledged);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0)));
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        assertThat(source.poll(Duration.ZERO)).isNull();
        assertThat(source.poll(Duration.ZERO)).isNull();
        assertThat(source.statistics().abandonedBatches()).as("P1 revoked while batch 2 held it").isEqualTo(1);
        source.ack(unfinished);
        assertThat(committed(consumer)).as("P1's change is read again by its next owner; %s", consumer.log)
                .isEqualTo(Map.of(P0, 1L));
    }

    @Test
    void aLostConnectionReconnectsAndThePolicyLimitFailsItForGood() throws Exception {
        Recording first = consumer();
        Recording second = consumer();
        consumers.add(first);
        consumers.add(second);
        KafkaChangeSource source = source(1);
        source.start();
        source.poll(Duration.ZERO);
        add(first, P0, 0, 1);
        ChangeBatch unfinished = next(source);

        first.setPollException(new KafkaException("broker gone"));
        assertThat(source.poll(Duration.ZERO)).isNull();
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(first.closed()).isTrue();
        source.ack(unfinished); // lost with the connection: commits nothing
        assertThat(source.poll(Duration.ofMillis(50))).as("waits its back-off, then connects").isNull();
        for (int i = 0; i < 10 && source.state() != SourceState.CONNECTED; i++) {
            source.poll(Duration.ofMillis(20));
        }
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.statistics().reconnects()).isEqualTo(1);
        assertThat(source.poll(Duration.ZERO)).as("assigns the partitions").isNull();
        add(second, P0, 0, 1);
        ChangeBatch batch = next(source);
        assertThat(ids(batch)).as("the unfinished change comes again").containsExactly(1);
        source.ack(batch);
        assertThat(committed(second)).isEqualTo(Map.of(P0, 1L));

        // Connected again, the count starts anew: one failed attempt is allowed, the second fails the source
        second.setPollException(new KafkaException("broker gone again"));
        consumers.add(new KafkaException("no broker"));
        SourceException failure = awaitFailure(source);
        assertThat(failure.getMessage()).contains("Kafka source 'orders-kafka'").contains("gave up reconnecting")
                .contains("broker-1:9092").contains("reconnect.max-attempts");
        assertThat(failure.isRetryable()).isFalse();
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.lastError()).isSameAs(failure);
        assertThat(source.statistics().reconnects()).isEqualTo(2);
        assertThatThrownBy(() -> source.poll(Duration.ZERO)).isSameAs(failure);
        assertThat(second.closed()).isTrue();
    }

    @Test
    void aFailedSourceKeepsItsErrorThroughCloseAndStartsAgain() throws Exception {
        consumers.add(new KafkaException("no broker"));
        KafkaChangeSource source = source(0);
        assertThatThrownBy(source::start).isInstanceOf(SourceException.class)
                .hasMessageContaining("gave up reconnecting");
        SourceException failure = source.lastError();
        assertThat(failure).isNotNull();
        assertThat(source.state()).isEqualTo(SourceState.FAILED);

        source.close();
        assertThat(source.state()).as("closing a failed source keeps why it failed").isEqualTo(SourceState.FAILED);
        assertThat(source.lastError()).isSameAs(failure);
        assertThatThrownBy(() -> source.poll(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("orders-kafka").hasMessageContaining("closed");

        Recording consumer = consumer();
        consumers.add(consumer);
        source.start();
        assertThat(source.lastError()).isNull();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThatThrownBy(source::start).as("started twice").isInstanceOf(IllegalStateException.class);
        source.poll(Duration.ZERO);
        add(consumer, P1, 0, 7);
        assertThat(ids(next(source))).containsExactly(7);
    }

    @Test
    void brokersUnreachableAtStartAreRetriedInTheBackground() throws Exception {
        consumers.add(new KafkaException("no broker yet"));
        Recording consumer = consumer();
        consumers.add(consumer);
        KafkaChangeSource source = source(3);
        source.start();
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        for (int i = 0; i < 10 && source.state() != SourceState.CONNECTED; i++) {
            source.poll(Duration.ofMillis(20));
        }
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.statistics().reconnects()).isEqualTo(1);
    }

    @Test
    void aTopicItMayNotReadFailsTheStartWithoutRetrying() {
        MockConsumer<byte[], ByteBuffer> consumer = new MockConsumer<>("earliest") {
            @Override
            public Map<String, List<org.apache.kafka.common.PartitionInfo>> listTopics(Duration timeout) {
                throw new TopicAuthorizationException(Set.of(TOPIC));
            }
        };
        consumers.add(consumer);
        KafkaChangeSource source = source(3);
        assertThatThrownBy(source::start).isInstanceOf(SourceException.class)
                .hasMessageContaining("cannot read [orders]").hasMessageContaining("ACLs")
                .satisfies(e -> assertThat(((SourceException) e).isRetryable()).isFalse());
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void tombstonesAndEmptyPollsAreCountedNotDelivered() throws Exception {
        Recording consumer = consumer();
        consumers.add(consumer);
        KafkaChangeSource source = source(3);
        source.start();
        assertThat(source.poll(Duration.ZERO)).isNull();
        assertThat(source.statistics().lastHeartbeat()).as("an empty poll: nothing newer").isNotNull();
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, null, null));
        add(consumer, P0, 1, 5);
        ChangeBatch batch = next(source);
        assertThat(ids(batch)).containsExactly(5);
        assertThat(source.statistics().eventsSkipped()).isEqualTo(1);
        source.ack(batch);
        assertThat(committed(consumer)).as("the tombstone's offset too").isEqualTo(Map.of(P0, 2L));
    }

    static void addRange(MockConsumer<byte[], ByteBuffer> consumer, TopicPartition partition, int from, int to) {
        for (int offset = from; offset < to; offset++) {
            add(consumer, partition, offset, 1000 * partition.partition() + offset);
        }
    }

    static List<Integer> idRange(TopicPartition partition, int from, int to) {
        List<Integer> ids = new ArrayList<>();
        for (int offset = from; offset < to; offset++) {
            ids.add(1000 * partition.partition() + offset);
        }
        return ids;
    }

    /**
     * The next batch, of the records added so far, while {@code arrives} adds records the source polls ahead (in
     * its poll without waiting, as those records decode).
     */
    static ChangeBatch nextWhileMoreArrive(Recording consumer, KafkaChangeSource source, Runnable arrives)
            throws InterruptedException {
        consumer.schedulePollTask(() -> { }); // the poll that takes the records there are
        consumer.schedulePollTask(arrives);
        return next(source);
    }

    @ParameterizedTest(name = "decode threads {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void recordsPolledWhileABatchIsOutAreDecodedAheadAndComeNextInOrder(int threads) throws Exception {
        decodeThreads = threads;
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        addRange(consumer, P0, 0, 400); // split over the decoding threads
        addRange(consumer, P1, 0, 300);
        ChangeBatch first = nextWhileMoreArrive(consumer, source, () -> addRange(consumer, P0, 400, 450));
        List<Integer> expected = new ArrayList<>(idRange(P0, 0, 400));
        expected.addAll(idRange(P1, 0, 300));
        assertThat(ids(first)).as("the records of each partition in offset order").isEqualTo(expected);
        assertThat(consumer.position(P0)).as("the next records polled ahead").isEqualTo(450);

        ChangeBatch second = source.poll(Duration.ZERO);
        assertThat(second).as("decoded ahead: handed out without waiting").isNotNull();
        assertThat(ids(second)).isEqualTo(idRange(P0, 400, 450));
        source.ack(first);
        source.ack(second);
        assertThat(committed(consumer)).isEqualTo(Map.of(P0, 450L, P1, 300L));
        assertThat(source.statistics().eventsSkipped()).isZero();
    }

    @ParameterizedTest(name = "decode threads {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void pollsDecodedBehindEachOtherComeInOrderWhateverTheirSizes(int threads) throws Exception {
        decodeThreads = threads;
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        List<Integer> expected = new ArrayList<>();
        int offset = 0;
        for (int size : new int[]{300, 50, 700, 10, 260, 129, 1, 400}) { // split over 1-3 threads or not at all
            int from = offset;
            int to = offset + size;
            consumer.schedulePollTask(() -> addRange(consumer, P0, from, to)); // each poll finds the next records
            expected.addAll(idRange(P0, from, to));
            offset = to;
        }
        List<Integer> seen = new ArrayList<>();
        for (int polls = 0; polls < 50 && seen.size() < expected.size(); polls++) {
            ChangeBatch batch = source.poll(Duration.ZERO);
            if (batch != null) {
                seen.addAll(ids(batch));
                source.ack(batch);
            }
        }
        assertThat(seen).as("each poll's records after the one before, decoded while it was out").isEqualTo(expected);
        assertThat(committed(consumer)).isEqualTo(Map.of(P0, (long) offset));
    }

    @Test
    void anInterruptWhileDecodingDropsThatPollAndTheOnePolledBehindItAndBothComeAgainInOrder() throws Exception {
        decodeThreads = 1;
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        addRange(consumer, P0, 0, 2000); // milliseconds of decoding: still at it when the batch is joined
        consumer.schedulePollTask(() -> { }); // the poll that takes them
        consumer.schedulePollTask(() -> { // polled behind them while they decode; then the thread is interrupted
            addRange(consumer, P1, 0, 5);
            Thread.currentThread().interrupt();
        });
        assertThatThrownBy(() -> source.poll(Duration.ZERO)).isInstanceOf(InterruptedException.class)
                .hasMessageContaining("interrupted while decoding");
        assertThat(consumer.position(P0)).as("sought back: nothing of it was handed out").isZero();
        assertThat(consumer.position(P1)).as("polled behind it: sought back too").isZero();
        assertThat(committed(consumer)).isEmpty();

        readAgainFromTheStart(consumer, source, 2000, 5, "the interrupted poll, then the one polled behind it");
    }

    /**
     * After both partitions were sought back to offset 0: they as the broker has them, read again in one batch, P0's
     * records before P1's.
     */
    static ChangeBatch readAgainFromTheStart(Recording consumer, KafkaChangeSource source, int p0End, int p1End,
                                             String what) throws InterruptedException {
        addRange(consumer, P0, 0, p0End);
        addRange(consumer, P1, 0, p1End);
        ChangeBatch again = next(source);
        List<Integer> expected = new ArrayList<>(idRange(P0, 0, p0End));
        expected.addAll(idRange(P1, 0, p1End));
        assertThat(ids(again)).as(what).isEqualTo(expected);
        return again;
    }

    @Test
    void aRollbackDropsWhatWasPolledAheadAndItComesAgainAfterTheRolledBackBatch() throws Exception {
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        addRange(consumer, P0, 0, 5);
        ChangeBatch first = nextWhileMoreArrive(consumer, source, () -> {
            addRange(consumer, P0, 5, 8);
            addRange(consumer, P1, 0, 2);
        });
        assertThat(consumer.position(P1)).as("polled ahead").isEqualTo(2);

        source.rollback(first);
        assertThat(consumer.position(P0)).isZero();
        assertThat(consumer.position(P1)).isZero();
        ChangeBatch again = readAgainFromTheStart(consumer, source, 8, 2,
                "the rolled-back batch, then what was polled ahead");
        source.ack(again);
        assertThat(committed(consumer)).isEqualTo(Map.of(P0, 8L, P1, 2L));
    }

    @Test
    void aRevocationDropsWhatWasPolledAheadAndPartitionsKeptReadItAgain() throws Exception {
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        addRange(consumer, P0, 0, 3);
        ChangeBatch first = nextWhileMoreArrive(consumer, source, () -> {
            addRange(consumer, P0, 3, 6);
            addRange(consumer, P1, 0, 4);
        });
        source.ack(first);
        assertThat(consumer.position(P0)).as("polled ahead").isEqualTo(6);

        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P0))); // P1 revoked while its records decode
        assertThat(source.poll(Duration.ZERO)).as("what was polled ahead is dropped").isNull();
        assertThat(consumer.position(P0)).as("P0, kept, is read again from there").isEqualTo(3);
        assertThat(committed(consumer)).as("what was acknowledged, committed before the hand-over")
                .isEqualTo(Map.of(P0, 3L));
        addRange(consumer, P0, 3, 6);
        assertThat(ids(next(source))).isEqualTo(idRange(P0, 3, 6));
    }

    @Test
    void aRecordThatIsNoCanalMessageNamesItsOffsetAndNothingOfItsPollIsHandedOut() throws Exception {
        Recording consumer = consumer();
        KafkaChangeSource source = assigned(consumer);
        addRange(consumer, P0, 0, 250);
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 250, null,
                ByteBuffer.wrap("not json".getBytes(StandardCharsets.UTF_8))));
        addRange(consumer, P0, 251, 300);

        SourceException failure = awaitFailure(source);
        assertThat(failure.getMessage()).contains("record orders-0@250 is not a Canal flat message");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.statistics().lastEventTimestamp()).as("nothing of that poll handed out").isNull();
        assertThat(consumer.closed()).isTrue();
        assertThat(committed(consumer)).isEmpty();
    }

    static SourceException awaitFailure(KafkaChangeSource source) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try {
                source.poll(Duration.ofMillis(20));
            } catch (SourceException e) {
                return e;
            }
        }
        throw new AssertionError("the source did not fail; state " + source.state());
    }
}
