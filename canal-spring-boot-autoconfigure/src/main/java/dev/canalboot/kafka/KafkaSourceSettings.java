package dev.canalboot.kafka;

import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.source.ReconnectPolicy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link KafkaChangeSource}: the Kafka consumer configuration (bootstrap servers, group id,
 * security, ...) as {@code kafka-clients} takes it, the topics, the message format, and how values are read.
 * The source sets the deserializers and turns auto-commit off (it commits itself); everything else is passed on.
 * Unless given, {@code max.poll.records} is {@value #DEFAULT_MAX_POLL_RECORDS} (kafka-clients: 500): a batch is one
 * poll and each acknowledged batch one offset commit, so larger batches spend less on commits per change.
 *
 * @param name                 the source's configured name
 * @param consumerProperties   kafka-clients consumer configuration
 * @param topics               the topics to read, all in {@code format}
 * @param format               flat (JSON) or protobuf messages
 * @param serverZone           the Canal server JVM's time zone (Canal renders TIMESTAMP as local text in it)
 * @param zeroDates            what a zero date becomes
 * @param connectTimeout       how long a check of the brokers (metadata, offsets) may take before the connection
 *                             counts as lost
 * @param checkInterval        how often the source asks the brokers for end and committed offsets (lag, liveness)
 * @param reconnectBackoff     first wait before a new consumer is made after a lost connection (doubles)
 * @param maxReconnectBackoff  longest wait between attempts
 * @param maxReconnectAttempts failed attempts in a row before the source fails; {@link ReconnectPolicy#FOREVER}:
 *                             unbounded (each failure logged)
 * @param decodeThreads        threads of the source's own that decode polled records while the container's thread
 *                             fetches and dispatches ({@value #DEFAULT_DECODE_THREADS} unless given); 0: decoded on
 *                             the container's thread
 */
public record KafkaSourceSettings(String name, Map<String, Object> consumerProperties, List<String> topics,
                                  MessageFormat format, ZoneId serverZone, ZeroDatePolicy zeroDates,
                                  Duration connectTimeout, Duration checkInterval, Duration reconnectBackoff,
                                  Duration maxReconnectBackoff, int maxReconnectAttempts, int decodeThreads) {

    /** {@code max.poll.records} unless the consumer properties set it. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 2000;
    /** Decoding threads unless given. */
    public static final int DEFAULT_DECODE_THREADS = 2;

    public KafkaSourceSettings {
        Objects.requireNonNull(name, "name");
        Map<String, Object> properties = new LinkedHashMap<>(consumerProperties);
        properties.putIfAbsent("max.poll.records", DEFAULT_MAX_POLL_RECORDS);
        consumerProperties = Map.copyOf(properties);
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("Kafka source '" + name + "' has no topics");
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(serverZone, "serverZone");
        Objects.requireNonNull(zeroDates, "zeroDates");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(reconnectBackoff, "reconnectBackoff");
        Objects.requireNonNull(maxReconnectBackoff, "maxReconnectBackoff");
        if (maxReconnectAttempts < ReconnectPolicy.FOREVER) {
            throw new IllegalArgumentException("Kafka source '" + name + "': maxReconnectAttempts must be at least 0,"
                    + " or ReconnectPolicy.FOREVER (" + ReconnectPolicy.FOREVER + ") to keep trying, not "
                    + maxReconnectAttempts);
        }
        ReconnectPolicy.of(reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts); // checks the back-off
        if (decodeThreads < 0) {
            throw new IllegalArgumentException("Kafka source '" + name + "': decodeThreads must be at least 0 (0:"
                    + " decode on the container's thread), not " + decodeThreads);
        }
    }

    /** The reconnect policy these settings describe. */
    public ReconnectPolicy reconnectPolicy() {
        return ReconnectPolicy.of(reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The bootstrap servers, for logs and health (never credentials). */
    public String servers() {
        Object servers = consumerProperties.get("bootstrap.servers");
        if (servers instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return servers == null ? null : String.valueOf(servers);
    }

    public static final class Builder {

        private final String name;
        private final Map<String, Object> consumerProperties = new LinkedHashMap<>();
        private final List<String> topics = new ArrayList<>();
        private MessageFormat format = MessageFormat.FLAT;
        private ZoneId serverZone = ZoneId.systemDefault();
        private ZeroDatePolicy zeroDates = ZeroDatePolicy.NULL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration checkInterval = Duration.ofSeconds(5);
        private Duration reconnectBackoff = Duration.ofSeconds(1);
        private Duration maxReconnectBackoff = Duration.ofSeconds(30);
        private int maxReconnectAttempts = ReconnectPolicy.FOREVER;
        private int decodeThreads = DEFAULT_DECODE_THREADS;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds kafka-clients consumer properties (later calls win). */
        public Builder consumerProperties(Map<String, ?> properties) {
            consumerProperties.putAll(properties);
            return this;
        }

        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(key, value);
            return this;
        }

        public Builder bootstrapServers(String servers) {
            return consumerProperty("bootstrap.servers", servers);
        }

        public Builder groupId(String groupId) {
            return consumerProperty("group.id", groupId);
        }

        public Builder topic(String topic) {
            topics.add(Objects.requireNonNull(topic, "topic"));
            return this;
        }

        public Builder topics(List<String> topics) {
            topics.forEach(this::topic);
            return this;
        }

        public Builder format(MessageFormat format) {
            this.format = format;
            return this;
        }

        public Builder serverZone(ZoneId serverZone) {
            this.serverZone = serverZone;
            return this;
        }

        public Builder zeroDates(ZeroDatePolicy zeroDates) {
            this.zeroDates = zeroDates;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder checkInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
            return this;
        }

        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectBackoff = initial;
            this.maxReconnectBackoff = max;
            return this;
        }

        /** How the source reconnects (the same policy type every source takes). */
        public Builder reconnect(ReconnectPolicy policy) {
            reconnectBackoff(policy.initialBackoff(), policy.maxBackoff());
            return maxReconnectAttempts(policy.isUnlimited() ? ReconnectPolicy.FOREVER : policy.maxAttempts());
        }

        /** Failed attempts in a row before the source fails: 0 or more, or {@link ReconnectPolicy#FOREVER}. */
        public Builder maxReconnectAttempts(int maxReconnectAttempts) {
            this.maxReconnectAttempts = maxReconnectAttempts;
            return this;
        }

        /** Threads that decode polled records ahead of the container; 0: on the container's thread. */
        public Builder decodeThreads(int decodeThreads) {
            this.decodeThreads = decodeThreads;
            return this;
        }

        public KafkaSourceSettings build() {
            return new KafkaSourceSettings(name, consumerProperties, topics, format, serverZone, zeroDates,
                    connectTimeout, checkInterval, reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts, decodeThreads);
        }
    }
}
