package dev.canalboot.autoconfigure;

import dev.canalboot.kafka.MessageFormat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A binlog source's relay to Kafka ({@code canal.source.relay.*}, {@code canal.sources.<name>.relay.*}): its
 * changes published as Canal flat messages or Canal's protobuf packets. The Kafka connection comes from {@code spring.kafka.*}.
 */
public class RelayProperties {

    /** Whether this binlog source publishes its changes to Kafka. */
    private boolean enabled = false;

    /** Topic of every change no dynamic-topic rule matches; unset: the source's name. */
    private String topic;

    /**
     * Canal's dynamic topics ({@code canal.mq.dynamicTopic}): rules {@code [topic:]schemaRegex} or
     * {@code [topic:]schemaRegex.tableRegex}; a matching table goes to the named topic, or without a name to
     * {@code schema} (schema rule) or {@code schema_table} (table rule). Several matching rules: every topic.
     */
    private List<String> dynamicTopic = new ArrayList<>();

    /**
     * Tables whose changes the relay publishes, patterns as in {@code @CanalListener(table = ...)}
     * ({@code schema.table} with {@code *} wildcards, or {@code regex:...}); default every table the source reads.
     */
    private List<String> tables = new ArrayList<>(List.of("*.*"));

    /**
     * Tables whose changes the relay does not publish, patterns as for {@code tables}. This starter's own tables
     * (the JDBC checkpoint table {@code canal.checkpoint.jdbc.table} and the JDBC HA tables
     * {@code canal.ha.jdbc.table-prefix}{@code LOCK}/{@code EPOCH}, in any schema) are never published.
     */
    private List<String> excludeTables = new ArrayList<>();

    /** Partitions per topic the relay spreads changes over ({@code canal.mq.partitionsNum}). */
    private int partitions = 1;

    /**
     * Canal's partition hash ({@code canal.mq.partitionHash}): rules {@code regex:col1^col2} (hash of those
     * columns), {@code regex:$pk$} (of the primary key) or {@code regex} alone (of the table name), the regex
     * over {@code schema.table}. A table no rule matches goes to partition 0.
     */
    private List<String> partitionHash = new ArrayList<>(List.of(".*\\..*:$pk$"));

    /** Whether the database name is part of a key hash ({@code canal.mq.database.hash}). */
    private boolean databaseHash = true;

    /**
     * Message form: {@code flat} (Canal's JSON flat messages, {@code canal.mq.flatMessage=true}) or {@code protobuf}
     * (Canal's serialized {@code Message} packets, {@code canal.mq.flatMessage=false}).
     */
    private MessageFormat format = MessageFormat.FLAT;

    /** Zone in which TIMESTAMP values are written as text (Canal writes its JVM's zone); unset: this JVM's. */
    private ZoneId timeZone;

    /**
     * How long the end of a batch waits for Kafka to acknowledge its messages before the batch fails (it is
     * then rolled back, never acknowledged).
     */
    private Duration sendTimeout = Duration.ofMinutes(3);

    /**
     * Spring Boot SSL bundle (spring.ssl.bundle.*) for this relay's connections to Kafka, over
     * spring.kafka.ssl.bundle; speaks TLS (security.protocol SSL unless a TLS protocol is set).
     */
    private String sslBundle;

    /** Further Kafka producer properties for this relay, over spring.kafka.producer.*. */
    private Map<String, String> producer = new LinkedHashMap<>();

    public List<String> getTables() {
        return tables;
    }

    public void setTables(List<String> tables) {
        this.tables = tables;
    }

    public List<String> getExcludeTables() {
        return excludeTables;
    }

    public void setExcludeTables(List<String> excludeTables) {
        this.excludeTables = excludeTables;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public List<String> getDynamicTopic() {
        return dynamicTopic;
    }

    public void setDynamicTopic(List<String> dynamicTopic) {
        this.dynamicTopic = dynamicTopic;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public List<String> getPartitionHash() {
        return partitionHash;
    }

    public void setPartitionHash(List<String> partitionHash) {
        this.partitionHash = partitionHash;
    }

    public boolean isDatabaseHash() {
        return databaseHash;
    }

    public void setDatabaseHash(boolean databaseHash) {
        this.databaseHash = databaseHash;
    }

    public MessageFormat getFormat() {
        return format;
    }

    public void setFormat(MessageFormat format) {
        this.format = format;
    }

    public ZoneId getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(ZoneId timeZone) {
        this.timeZone = timeZone;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public String getSslBundle() {
        return sslBundle;
    }

    public void setSslBundle(String sslBundle) {
        this.sslBundle = sslBundle;
    }

    public Map<String, String> getProducer() {
        return producer;
    }

    public void setProducer(Map<String, String> producer) {
        this.producer = producer;
    }
}
