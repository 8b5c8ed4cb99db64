package dev.canalboot.kafka;

import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.source.SourceStatistics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ChangeSource} reading the topics a Canal server writes in MQ mode, flat (JSON) or protobuf, as one
 * member of a Kafka consumer group: instances with the same group id share the partitions.
 * <p>
 * Offsets: a batch is the records of one consumer poll (one or more partitions, each in offset order). Offsets are
 * committed per partition when the container acknowledges a batch, and only up to the end of that batch; the
 * container acknowledges in order, so nothing is committed past an unfinished change. A rollback seeks every
 * partition of that batch and the later ones back to their first record: they come again, in order.
 * <p>
 * Rebalances: when partitions are revoked, the offsets acknowledged for them are committed synchronously before
 * the partitions are handed over. Changes of revoked partitions still unfinished (polled ahead with listener
 * concurrency) are rolled back: their acknowledgement commits nothing, and the new owner reads them again from the
 * committed offset (at least once). With one listener worker nothing is in flight when the consumer rebalances.
 * <p>
 * Connection: the consumer reconnects by itself; every {@code checkInterval} the source asks the brokers for end and
 * committed offsets (the lag per partition). When that fails within {@code connectTimeout} the connection counts as
 * lost: the consumer is closed, unfinished batches are rolled back as on a revocation, and a new consumer is made
 * with back-off, at most {@code maxReconnectAttempts} times in a row.
 * <p>
 * Used by one container thread; {@link #state()} and {@link #statistics()} may be read from any thread.
 */
public final class KafkaChangeSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(KafkaChangeSource.class);

    /** The offsets of one partition a handed-out batch holds: {@code first} to {@code next - 1}. */
    private record Range(long first, long next) {
    }

    /** A batch the container holds, with what its acknowledgement commits (partitions still owned). */
    private record HandedOut(long id, Map<TopicPartition, Range> ranges) {
    }

    private final KafkaSourceSettings settings;
    private final FlatMessageReader flatReader = new FlatMessageReader();
    private final FlatMessageConverter flatConverter;
    private final CanalValueConverter values;
    private final Map<TopicPartition, ProtobufMessageConverter> protobufConverters = new HashMap<>();
    private final Deque<HandedOut> inFlight = new ArrayDeque<>();
    /** Next offset to commit per owned partition: the end of the last acknowledged batch holding it. */
    private final Map<TopicPartition, Long> acknowledged = new HashMap<>();
    private final KafkaSourceStatistics statistics;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong eventsSkipped = new AtomicLong();
    private final AtomicLong redeliveredAfterRevocation = new AtomicLong();

    private Consumer<byte[], byte[]> consumer;
    private volatile SourceState state = SourceState.IDLE;
    private volatile boolean closed;
    private SourceException failure;
    private long nextBatchId = 1;
    private int failedAttempts;
    private Duration backoff;
    private long nextAttemptNanos;
    private long nextCheckNanos;
    private volatile Instant lastEventTimestamp;
    private volatile Instant lastHeartbeat;

    public KafkaChangeSource(KafkaSourceSettings settings) {
        this.settings = settings;
        this.values = new CanalValueConverter(settings.serverZone(), settings.zeroDates());
        this.flatConverter = new FlatMessageConverter(settings.name(), values);
        this.statistics = new KafkaSourceStatistics(settings.servers(), bytesRead, reconnects, eventsSkipped,
                () -> lastEventTimestamp, () -> lastHeartbeat, redeliveredAfterRevocation);
    }

    public KafkaSourceSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public void start() {
        if (consumer != null && !closed && failure == null) {
            return;
        }
        closeConsumer(false);
        closed = false;
        failure = null;
        inFlight.clear();
        acknowledged.clear();
        protobufConverters.clear();
        failedAttempts = 0;
        backoff = settings.reconnectBackoff();
        state = SourceState.CONNECTING;
        try {
            connect();
            state = SourceState.CONNECTED;
        } catch (AuthenticationException | AuthorizationException | InvalidTopicException e) {
            closeConsumer(false);
            state = SourceState.FAILED;
            throw fatal("cannot read " + settings.topics(), e);
        } catch (KafkaException e) {
            closeConsumer(false);
            log.warn("Kafka source '{}': brokers {} not reachable at start ({}); retrying in the background",
                    name(), settings.servers(), e.toString());
            state = SourceState.RECONNECTING;
            nextAttemptNanos = System.nanoTime() + backoff.toNanos();
        }
    }

    /** A new consumer, subscribed, after the brokers answered a metadata request. */
    private void connect() {
        Map<String, Object> properties = new HashMap<>(settings.consumerProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A relay that writes with Kafka transactions is read as committed; harmless for Canal's plain producer
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "canal-source-" + name());
        consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, List<PartitionInfo>> topics = consumer.listTopics(settings.connectTimeout());
        for (String topic : settings.topics()) {
            if (!topics.containsKey(topic)) {
                log.warn("Kafka source '{}': topic '{}' does not exist (yet) on {}; reading it once it does", name(),
                        topic, settings.servers());
            }
        }
        consumer.subscribe(settings.topics(), new Rebalance());
        nextCheckNanos = System.nanoTime() + settings.checkInterval().toNanos();
    }

    @Override
    public @Nullable ChangeBatch poll(Duration timeout) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("Kafka source '" + name() + "' is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (consumer == null) {
            return reconnect(timeout);
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (InterruptException e) {
            Thread.interrupted(); // kafka-clients set the flag again; InterruptedException says it instead
            throw new InterruptedException("Kafka source '" + name() + "' interrupted while polling");
        } catch (AuthenticationException | AuthorizationException | InvalidTopicException e) {
            throw fail(fatal("cannot read " + settings.topics(), e));
        } catch (KafkaException e) {
            connectionLost(e);
            return null;
        }
        if (records.isEmpty()) {
            lastHeartbeat = Instant.now();
            check();
            return null;
        }
        ChangeBatch batch = convert(records);
        check();
        return batch;
    }

    private ChangeBatch convert(ConsumerRecords<byte[], byte[]> records) {
        List<ChangeEvent> events = new ArrayList<>(records.count());
        Map<TopicPartition, Range> ranges = new LinkedHashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> partitionRecords = records.records(partition);
            for (ConsumerRecord<byte[], byte[]> record : partitionRecords) {
                byte[] value = record.value();
                if (value == null) {
                    eventsSkipped.incrementAndGet(); // a tombstone carries no change
                    continue;
                }
                bytesRead.addAndGet(value.length);
                try {
                    convert(partition, value, events);
                } catch (IllegalArgumentException e) {
                    throw fail(new SourceException("Kafka source '" + name() + "': record " + partition + "@"
                            + record.offset() + " is not a Canal " + settings.format().name().toLowerCase()
                            + " message: " + e.getMessage() + ". If the Canal server writes the other format, set the"
                            + " source's kafka.format to " + (settings.format() == MessageFormat.FLAT ? "protobuf"
                            : "flat") + " (canal.mq.flatMessage is " + (settings.format() == MessageFormat.FLAT
                            ? "false" : "true") + " there); otherwise the record was written by something else.",
                            e, false));
                }
            }
            ranges.put(partition, new Range(partitionRecords.get(0).offset(),
                    partitionRecords.get(partitionRecords.size() - 1).offset() + 1));
        }
        if (!events.isEmpty()) {
            lastEventTimestamp = events.get(events.size() - 1).timestamp();
        }
        long id = nextBatchId++;
        inFlight.addLast(new HandedOut(id, ranges));
        return new ChangeBatch(id, events);
    }

    private void convert(TopicPartition partition, byte[] value, List<ChangeEvent> events) {
        if (settings.format() == MessageFormat.FLAT) {
            if (!flatConverter.convert(flatReader.read(value), events)) {
                eventsSkipped.incrementAndGet();
            }
        } else {
            int empty = protobufConverters
                    .computeIfAbsent(partition, p -> new ProtobufMessageConverter(name(), values))
                    .convert(value, events);
            eventsSkipped.addAndGet(empty);
        }
    }

    @Override
    public void ack(ChangeBatch batch) {
        HandedOut head = inFlight.peekFirst();
        if (head == null || head.id() > batch.id()) {
            return; // rolled back, revoked or lost with the connection: it comes again, nothing to commit
        }
        if (head.id() != batch.id()) {
            throw new IllegalStateException("Kafka source '" + name() + "': batch " + batch.id()
                    + " acknowledged before the older batch " + head.id());
        }
        inFlight.removeFirst();
        if (head.ranges().isEmpty() || consumer == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        head.ranges().forEach((partition, range) -> {
            acknowledged.put(partition, range.next());
            offsets.put(partition, new OffsetAndMetadata(range.next()));
        });
        consumer.commitAsync(offsets, (committed, e) -> {
            if (e != null) {
                // A later commit covers these offsets; if none comes, they are read again (at least once)
                log.warn("Kafka source '{}': committing offsets {} failed: {}", name(), committed, e.toString());
            } else {
                committed.forEach((partition, offset) -> statistics.committed(partition, offset.offset()));
            }
        });
    }

    @Override
    public void rollback(ChangeBatch batch) {
        Map<TopicPartition, Long> seekTo = new HashMap<>();
        boolean found = false;
        for (Iterator<HandedOut> it = inFlight.iterator(); it.hasNext(); ) {
            HandedOut handedOut = it.next();
            if (handedOut.id() == batch.id()) {
                found = true;
            }
            if (found) {
                handedOut.ranges().forEach((partition, range) -> seekTo.merge(partition, range.first(), Math::min));
                it.remove();
            }
        }
        if (consumer == null) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        seekTo.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                consumer.seek(partition, offset);
                ProtobufMessageConverter converter = protobufConverters.get(partition);
                if (converter != null) {
                    converter.reset();
                }
            }
        });
    }

    /** Every {@code checkInterval}: end and committed offsets of the assigned partitions; a timeout is a lost connection. */
    private void check() {
        if (consumer == null || System.nanoTime() - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = System.nanoTime() + settings.checkInterval().toNanos();
        try {
            Set<TopicPartition> assigned = consumer.assignment();
            if (assigned.isEmpty()) {
                consumer.listTopics(settings.connectTimeout());
                statistics.retainPartitions(assigned);
                return;
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, settings.connectTimeout());
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, settings.connectTimeout());
            statistics.retainPartitions(assigned);
            for (TopicPartition partition : assigned) {
                OffsetAndMetadata offset = committed.get(partition);
                statistics.offsets(partition, ends.get(partition), offset == null ? null : offset.offset());
            }
        } catch (InterruptException e) {
            Thread.interrupted();
            Thread.currentThread().interrupt(); // the next poll ends on it
        } catch (KafkaException e) {
            connectionLost(e);
        }
    }

    private void connectionLost(KafkaException e) {
        log.warn("Kafka source '{}' lost its connection to {} ({}); {} unfinished batch(es) come again from the "
                        + "committed offsets", name(), settings.servers(), e.toString(), inFlight.size());
        abandonInFlight(null);
        closeConsumer(false);
        state = SourceState.RECONNECTING;
        nextAttemptNanos = System.nanoTime() + backoff.toNanos();
    }

    private @Nullable ChangeBatch reconnect(Duration timeout) throws InterruptedException {
        long wait = nextAttemptNanos - System.nanoTime();
        if (wait > 0) {
            long sleep = Math.min(wait, timeout.toNanos());
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            if (wait > timeout.toNanos()) {
                return null;
            }
        }
        reconnects.incrementAndGet();
        failedAttempts++;
        try {
            connect();
            log.info("Kafka source '{}' connected to {} again after {} attempt(s)", name(), settings.servers(),
                    failedAttempts);
            failedAttempts = 0;
            backoff = settings.reconnectBackoff();
            state = SourceState.CONNECTED;
        } catch (AuthenticationException | AuthorizationException | InvalidTopicException e) {
            closeConsumer(false);
            throw fail(fatal("cannot read " + settings.topics(), e));
        } catch (KafkaException e) {
            closeConsumer(false);
            if (settings.maxReconnectAttempts() >= 0 && failedAttempts >= settings.maxReconnectAttempts()) {
                throw fail(new SourceException("Kafka source '" + name() + "': brokers " + settings.servers()
                        + " not reachable after " + failedAttempts + " reconnect attempt(s): " + e
                        + ". Check that the brokers run and are reachable, or raise reconnect.max-attempts.", e,
                        true));
            }
            log.warn("Kafka source '{}': reconnect attempt {} to {} failed ({}); next in {}", name(), failedAttempts,
                    settings.servers(), e.toString(), backoff);
            nextAttemptNanos = System.nanoTime() + backoff.toNanos();
            backoff = backoff.multipliedBy(2).compareTo(settings.maxReconnectBackoff()) > 0
                    ? settings.maxReconnectBackoff() : backoff.multipliedBy(2);
        }
        return null;
    }

    /**
     * Takes the given partitions (all when {@code null}) out of the handed-out batches: their acknowledgement
     * commits nothing for them any more.
     *
     * @return how many handed-out batches held changes of those partitions
     */
    private int abandonInFlight(Collection<TopicPartition> partitions) {
        int abandoned = 0;
        for (HandedOut handedOut : inFlight) {
            boolean held = partitions == null ? !handedOut.ranges().isEmpty()
                    : handedOut.ranges().keySet().removeIf(partitions::contains);
            if (partitions == null) {
                handedOut.ranges().clear();
            }
            if (held) {
                abandoned++;
            }
        }
        if (abandoned > 0) {
            redeliveredAfterRevocation.addAndGet(abandoned);
        }
        if (partitions == null) {
            acknowledged.clear();
            protobufConverters.clear();
        } else {
            acknowledged.keySet().removeAll(partitions);
            protobufConverters.keySet().removeAll(partitions);
        }
        return abandoned;
    }

    private SourceException fatal(String what, KafkaException e) {
        return new SourceException("Kafka source '" + name() + "' (" + settings.servers() + "): " + what + ": " + e
                + ". Check the topics and the consumer's credentials and ACLs (spring.kafka.* or the source's kafka"
                + " group).", e, false);
    }

    private SourceException fail(SourceException e) {
        failure = e;
        state = SourceState.FAILED;
        closeConsumer(true);
        return e;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeConsumer(true);
        inFlight.clear();
        state = SourceState.STOPPED;
    }

    /** Closes the consumer, first committing what was acknowledged if {@code commit}. */
    private void closeConsumer(boolean commit) {
        Consumer<byte[], byte[]> c = consumer;
        if (c == null) {
            return;
        }
        consumer = null;
        try {
            if (commit && !acknowledged.isEmpty()) {
                c.commitSync(offsets(acknowledged), settings.connectTimeout());
            }
        } catch (KafkaException e) {
            log.warn("Kafka source '{}': committing acknowledged offsets on close failed ({}); they are read again",
                    name(), e.toString());
        } finally {
            acknowledged.clear();
            try {
                c.close(CloseOptions.timeout(commit ? settings.connectTimeout() : Duration.ZERO));
            } catch (KafkaException e) {
                log.debug("Kafka source '{}': closing the consumer: {}", name(), e.toString());
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        return offsets;
    }

    @Override
    public SourceState state() {
        return state;
    }

    @Override
    public KafkaSourceStatistics statistics() {
        return statistics;
    }

    @Override
    public String toString() {
        return "Kafka source '" + name() + "' " + settings.topics() + " on " + settings.servers();
    }

    /** Called inside {@code consumer.poll}, on the container's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> done = new HashMap<>(acknowledged);
            done.keySet().retainAll(partitions);
            if (!done.isEmpty()) {
                try {
                    consumer.commitSync(offsets(done), settings.connectTimeout());
                    done.forEach(statistics::committed);
                } catch (KafkaException e) {
                    log.warn("Kafka source '{}': committing offsets {} of revoked partitions failed ({}); the new "
                            + "owner reads from the previous commit", name(), done, e.toString());
                }
            }
            int unfinished = abandonInFlight(partitions);
            statistics.removePartitions(partitions);
            if (unfinished > 0) {
                log.info("Kafka source '{}': partitions {} revoked while {} batch(es) holding their changes were "
                        + "unfinished; the new owner reads those changes again", name(), partitions, unfinished);
            } else {
                log.info("Kafka source '{}': partitions {} revoked, offsets {} committed", name(), partitions, done);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            int unfinished = abandonInFlight(partitions);
            statistics.removePartitions(partitions);
            log.warn("Kafka source '{}': partitions {} lost ({} unfinished batch(es)); their changes since the last "
                    + "commit are read again by their next owner", name(), partitions, unfinished);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("Kafka source '{}': partitions {} assigned", name(), partitions);
            }
        }
    }
}
