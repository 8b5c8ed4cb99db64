package dev.canalboot.kafka;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceLifecycle;
import dev.canalboot.source.SourceState;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A {@link ChangeSource} reading the topics a Canal server writes in MQ mode, flat (JSON) or protobuf, as one
 * member of a Kafka consumer group: instances with the same group id share the partitions.
 * <p>
 * Offsets: a batch is the records of one consumer poll (one or more partitions, each in offset order). Offsets are
 * committed per partition when the container acknowledges a batch, and only up to the end of that batch; the
 * container acknowledges in order, so nothing is committed past an unfinished change. A rollback seeks every
 * partition of that batch and the later ones back to their first record: they come again, in order.
 * <p>
 * Decoding ahead: the records of a poll are decoded on the source's decoding threads ({@link RecordDecoding}) while
 * the container's thread runs the listeners of the batch before. Each {@code poll} hands out the records polled by
 * the one before, decoded meanwhile, and polls the next ones without waiting for them; only when none were polled
 * before does it wait for records. Records polled ahead and not yet handed out are dropped, and their partitions
 * sought back to them, on a rollback, a revocation or a lost connection: they come again, in order.
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
 * States, failure, the reconnect count and the restart after a close or a failure are the shared
 * {@link SourceLifecycle}'s (as for every source: a closed source's {@code poll} is an error, a failed one keeps
 * its error through {@code close} until the next start); counters are {@link SourceCounters}, with the partitions'
 * offsets beside them in {@link KafkaSourceStatistics}.
 * <p>
 * Used by one container thread; {@link #state()} and {@link #statistics()} may be read from any thread.
 */
public final class KafkaChangeSource implements ChangeSource {

    private static final Logger log = LoggerFactory.getLogger(KafkaChangeSource.class);
    /**
     * Polls decoding while a batch is out: the decoding threads keep working while the consumer waits for a fetch
     * (run K5 in benchmarks/RESULTS.md).
     */
    static final int POLLS_AHEAD = 1;

    /** A batch the container holds, with what its acknowledgement commits (partitions still owned). */
    private record HandedOut(long id, Map<TopicPartition, RecordDecoding.Range> ranges) {
    }

    private final KafkaSourceSettings settings;
    private final RecordDecoding decoding;
    /**
     * Polls decoded ahead, oldest first: those polled after the last batch handed out, being decoded (their offsets
     * are past the consumer's). At most {@link #POLLS_AHEAD} while a batch is out, one more during a poll.
     */
    private final Deque<RecordDecoding.Pending> ahead = new ArrayDeque<>();
    private final Deque<HandedOut> inFlight = new ArrayDeque<>();
    /** Next offset to commit per owned partition: the end of the last acknowledged batch holding it. */
    private final Map<TopicPartition, Long> acknowledged = new HashMap<>();
    private final SourceLifecycle lifecycle;
    private final SourceCounters counters;
    private final KafkaSourceStatistics statistics;
    private final Function<Map<String, Object>, Consumer<byte[], ByteBuffer>> consumers;

    private @Nullable Consumer<byte[], ByteBuffer> consumer;
    private long nextBatchId = 1;
    /** The attempt the next reconnect is (counted by the lifecycle when the previous one failed). */
    private int reconnectAttempt;
    private long nextAttemptNanos;
    private long nextCheckNanos;

    public KafkaChangeSource(KafkaSourceSettings settings) {
        // Values as views of the fetched bytes, not copies. They stay valid while polls are decoded ahead: the
        // consumer's network buffers come from no pool (a fresh buffer per response), and nothing writes to them
        this(settings, properties -> new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteBufferDeserializer()));
    }

    /** @param consumers makes a consumer of the given configuration (a test's in-memory one) */
    KafkaChangeSource(KafkaSourceSettings settings, Function<Map<String, Object>, Consumer<byte[], ByteBuffer>> consumers) {
        this.settings = settings;
        this.consumers = consumers;
        this.lifecycle = new SourceLifecycle("Kafka source '" + settings.name() + "'", settings.reconnectPolicy());
        this.counters = new SourceCounters(settings::servers);
        this.statistics = new KafkaSourceStatistics(counters);
        this.decoding = new RecordDecoding(settings, counters);
    }

    public KafkaSourceSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /**
     * Subscribes a new consumer once the brokers answered. When they do not, the source retries in the background
     * with the reconnect back-off (state {@link SourceState#RECONNECTING}). After {@link #close()} or a failure this
     * starts again from the group's committed offsets: what was read and not acknowledged comes again.
     *
     * @throws SourceException       when the topics cannot be read (credentials, ACLs, an invalid topic), or no broker
     *                               answers and no reconnect attempt is allowed
     * @throws IllegalStateException while the source runs
     */
    @Override
    public void start() {
        if (lifecycle.beginStart(this::close)) {
            inFlight.clear();
            acknowledged.clear();
            decoding.forget(null);
            log.info("Kafka source '{}': starting again", name());
        }
        try {
            connect();
        } catch (AuthenticationException | AuthorizationException | InvalidTopicException e) {
            closeConsumer(false);
            throw fail(fatal("cannot read " + settings.topics(), e));
        } catch (KafkaException e) {
            closeConsumer(false);
            SourceException gaveUp = connectFailed(new SourceException("Kafka source '" + name() + "': brokers "
                    + settings.servers() + " not reachable at start (" + e + ")", e, true));
            if (gaveUp != null) {
                throw gaveUp;
            }
        }
    }

    /** A new consumer, subscribed, after the brokers answered a metadata request: CONNECTED. */
    private void connect() {
        Map<String, Object> properties = new HashMap<>(settings.consumerProperties());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A relay that writes with Kafka transactions is read as committed; harmless for Canal's plain producer
        properties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "canal-source-" + name());
        Consumer<byte[], ByteBuffer> created = consumers.apply(properties);
        consumer = created;
        Map<String, List<PartitionInfo>> topics = created.listTopics(settings.connectTimeout());
        for (String topic : settings.topics()) {
            if (!topics.containsKey(topic)) {
                log.warn("Kafka source '{}': topic '{}' does not exist (yet) on {}; reading it once it does", name(),
                        topic, settings.servers());
            }
        }
        created.subscribe(settings.topics(), new Rebalance());
        nextCheckNanos = System.nanoTime() + settings.checkInterval().toNanos();
        lifecycle.connected();
        lifecycle.attemptSucceeded();
    }

    @Override
    public @Nullable ChangeBatch poll(Duration timeout) throws InterruptedException {
        lifecycle.checkOpen();
        lifecycle.throwIfFailed();
        Consumer<byte[], ByteBuffer> current = consumer;
        if (current == null) {
            return reconnect(timeout);
        }
        if (ahead.isEmpty()) {
            ConsumerRecords<byte[], ByteBuffer> records = consumerPoll(current, timeout);
            if (records == null) {
                return null;
            }
            if (records.isEmpty()) {
                counters.heartbeat();
                check();
                return null;
            }
            ahead.addLast(decoding.submit(records));
        }
        if (ahead.size() <= POLLS_AHEAD) {
            // While the records decode: the next ones (fetched meanwhile, or a fetch sent), decoded behind them. A
            // rebalance in this poll may drop what is ahead (onPartitionsRevoked).
            ConsumerRecords<byte[], ByteBuffer> next = consumerPoll(current, Duration.ZERO);
            if (next == null) {
                return null;
            }
            if (!next.isEmpty()) {
                ahead.addLast(decoding.submit(next));
            }
        }
        RecordDecoding.Pending done = ahead.pollFirst();
        ChangeBatch batch = null;
        if (done != null) {
            try {
                batch = handOut(done); // on a decoding failure the source fails and its consumer is closed
            } catch (InterruptedException e) {
                ahead.addFirst(done); // none is handed out: all come again, in order
                dropAhead(true);
                throw new InterruptedException("Kafka source '" + name() + "' interrupted while decoding");
            }
        }
        check();
        return batch;
    }

    /** The consumer's poll; {@code null} when the connection was lost (the source reconnects). */
    private @Nullable ConsumerRecords<byte[], ByteBuffer> consumerPoll(Consumer<byte[], ByteBuffer> current,
                                                                      Duration timeout) throws InterruptedException {
        try {
            return current.poll(timeout);
        } catch (InterruptException e) {
            Thread.interrupted(); // kafka-clients set the flag again; InterruptedException says it instead
            throw new InterruptedException("Kafka source '" + name() + "' interrupted while polling");
        } catch (AuthenticationException | AuthorizationException | InvalidTopicException e) {
            throw fail(fatal("cannot read " + settings.topics(), e));
        } catch (KafkaException e) {
            connectionLost(e);
            return null;
        }
    }

    /** The decoded poll as the next batch; a record that is no Canal message fails the source. */
    private ChangeBatch handOut(RecordDecoding.Pending done) throws InterruptedException {
        RecordDecoding.Decoded decoded = done.join();
        IllegalArgumentException failure = decoded.failure();
        if (failure != null) {
            throw fail(new SourceException("Kafka source '" + name() + "': record " + decoded.failedPartition() + "@"
                    + decoded.failedOffset() + " is not a Canal " + settings.format().name().toLowerCase()
                    + " message: " + failure.getMessage() + ". If the Canal server writes the other format, set the"
                    + " source's kafka.format to " + (settings.format() == MessageFormat.FLAT ? "protobuf"
                    : "flat") + " (canal.mq.flatMessage is " + (settings.format() == MessageFormat.FLAT
                    ? "false" : "true") + " there); otherwise the record was written by something else.",
                    failure, false));
        }
        List<ChangeEvent> events = decoded.events();
        if (!events.isEmpty()) {
            counters.lastEventAt(events.get(events.size() - 1).timestamp());
        }
        counters.eventsHandedOver(events.size());
        counters.batchHandedOver();
        long id = nextBatchId++;
        inFlight.addLast(new HandedOut(id, done.ranges())); // the poll's own map, no one else's once handed out
        return new ChangeBatch(id, events);
    }

    private void seek(Map<TopicPartition, Long> seekTo) {
        Consumer<byte[], ByteBuffer> current = consumer;
        if (current == null) {
            return;
        }
        Set<TopicPartition> assigned = current.assignment();
        seekTo.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                current.seek(partition, offset);
                decoding.reset(partition);
            }
        });
    }

    /** Adds each partition's first offset in {@code ranges} to {@code seekTo}, keeping the lower of two. */
    private static void firstOffsets(Map<TopicPartition, RecordDecoding.Range> ranges,
                                     Map<TopicPartition, Long> seekTo) {
        ranges.forEach((partition, range) -> seekTo.merge(partition, range.first(), Math::min));
    }

    /** Drops the polls decoded ahead; with {@code seekBack} their owned partitions are read again from them. */
    private void dropAhead(boolean seekBack) {
        Map<TopicPartition, Long> seekTo = new HashMap<>();
        takeAhead(seekTo);
        if (seekBack) {
            seek(seekTo);
        }
    }

    /** Ends and drops the polls decoded ahead, adding their first offsets to {@code seekTo}. */
    private void takeAhead(Map<TopicPartition, Long> seekTo) {
        RecordDecoding.Pending taken;
        while ((taken = ahead.pollFirst()) != null) {
            taken.discard();
            firstOffsets(taken.ranges(), seekTo);
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
        Consumer<byte[], ByteBuffer> current = consumer;
        if (head.ranges().isEmpty() || current == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        head.ranges().forEach((partition, range) -> {
            acknowledged.put(partition, range.next());
            offsets.put(partition, new OffsetAndMetadata(range.next()));
        });
        current.commitAsync(offsets, (committed, e) -> {
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
                firstOffsets(handedOut.ranges(), seekTo);
                it.remove();
            }
        }
        takeAhead(seekTo); // polled after the rolled-back batch: comes again after it
        seek(seekTo);
    }

    /** Every {@code checkInterval}: end and committed offsets of the assigned partitions; a timeout is a lost connection. */
    private void check() {
        Consumer<byte[], ByteBuffer> current = consumer;
        if (current == null || System.nanoTime() - nextCheckNanos < 0) {
            return;
        }
        nextCheckNanos = System.nanoTime() + settings.checkInterval().toNanos();
        try {
            Set<TopicPartition> assigned = current.assignment();
            if (assigned.isEmpty()) {
                current.listTopics(settings.connectTimeout());
                statistics.retainPartitions(assigned);
                return;
            }
            Map<TopicPartition, Long> ends = current.endOffsets(assigned, settings.connectTimeout());
            Map<TopicPartition, OffsetAndMetadata> committed = current.committed(assigned, settings.connectTimeout());
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

    /** Unfinished batches come again from the committed offsets; a new consumer after the back-off. */
    private void connectionLost(KafkaException e) {
        SourceException cause = new SourceException("Kafka source '" + name() + "' lost its connection to "
                + settings.servers() + " (" + e + "); " + inFlight.size() + " unfinished batch(es) come again from"
                + " the committed offsets", e, true);
        dropAhead(false);
        abandonInFlight(null);
        closeConsumer(false);
        connectFailed(cause); // a failure is thrown by the next poll
    }

    /**
     * A connection attempt failed or the connection was lost: the next attempt after the policy's back-off (state
     * RECONNECTING), or the source fails when the policy is used up.
     *
     * @return the error the source failed with, or {@code null} when it reconnects (or the run is over)
     */
    private @Nullable SourceException connectFailed(SourceException cause) {
        SourceLifecycle.Reconnect next = lifecycle.reconnectAfterFailure();
        if (next == null) {
            return null;
        }
        Duration wait = next.delay();
        if (wait == null) {
            SourceException gaveUp = lifecycle.gaveUp("brokers " + settings.servers(), cause);
            return fail(new SourceException(gaveUp.getMessage() + ". Check that the brokers run and are reachable,"
                    + " or raise reconnect.max-attempts.", cause, false));
        }
        log.warn("{}; reconnecting in {} ({})", cause.getMessage(), wait, next.describe());
        reconnectAttempt = next.attempt();
        nextAttemptNanos = System.nanoTime() + wait.toNanos();
        return null;
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
        counters.reconnecting();
        try {
            connect();
            log.info("Kafka source '{}' connected to {} again after {} attempt(s)", name(), settings.servers(),
                    reconnectAttempt);
        } catch (AuthenticationException | AuthorizationException | InvalidTopicException e) {
            closeConsumer(false);
            throw fail(fatal("cannot read " + settings.topics(), e));
        } catch (KafkaException e) {
            closeConsumer(false);
            SourceException gaveUp = connectFailed(new SourceException("Kafka source '" + name()
                    + "': reconnect attempt " + reconnectAttempt + " to " + settings.servers() + " failed (" + e + ")",
                    e, true));
            if (gaveUp != null) {
                throw gaveUp;
            }
        }
        return null;
    }

    /**
     * Takes the given partitions (all when {@code null}) out of the handed-out batches: their acknowledgement
     * commits nothing for them any more.
     *
     * @return how many handed-out batches held changes of those partitions
     */
    private int abandonInFlight(@Nullable Collection<TopicPartition> partitions) {
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
        statistics.abandoned(abandoned);
        if (partitions == null) {
            acknowledged.clear();
            decoding.forget(null);
        } else {
            acknowledged.keySet().removeAll(partitions);
            decoding.forget(partitions);
        }
        return abandoned;
    }

    private SourceException fatal(String what, KafkaException e) {
        return new SourceException("Kafka source '" + name() + "' (" + settings.servers() + "): " + what + ": " + e
                + ". Check the topics and the consumer's credentials and ACLs (spring.kafka.* or the source's kafka"
                + " group).", e, false);
    }

    /** Fails the run with {@code e} (FAILED, the consumer closed after committing what was acknowledged). */
    private SourceException fail(SourceException e) {
        if (lifecycle.fail(e)) {
            closeConsumer(true);
        }
        return e;
    }

    /** Commits what was acknowledged and closes the consumer: STOPPED, or FAILED with its error if it failed. */
    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        closeConsumer(true);
        inFlight.clear();
    }

    /** Closes the consumer, first committing what was acknowledged if {@code commit}. */
    private void closeConsumer(boolean commit) {
        dropAhead(false);
        decoding.close();
        Consumer<byte[], ByteBuffer> c = consumer;
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
        return lifecycle.state();
    }

    /** The error that failed the source, or {@code null}. */
    @Override
    public @Nullable SourceException lastError() {
        return lifecycle.lastError();
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
            Consumer<byte[], ByteBuffer> current = consumer;
            if (!done.isEmpty() && current != null) {
                try {
                    current.commitSync(offsets(done), settings.connectTimeout());
                    done.forEach(statistics::committed);
                } catch (KafkaException e) {
                    log.warn("Kafka source '{}': committing offsets {} of revoked partitions failed ({}); the new "
                            + "owner reads from the previous commit", name(), done, e.toString());
                }
            }
            dropAhead(true); // polled ahead, not handed out: partitions kept are read again from there
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
            dropAhead(true);
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
