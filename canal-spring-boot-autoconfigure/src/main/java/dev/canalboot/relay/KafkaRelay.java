package dev.canalboot.relay;

import dev.canalboot.canal.FlatMessage;
import dev.canalboot.kafka.MessageFormat;

import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes one source's changes to Kafka as Canal flat messages (or Canal's protobuf packets), at least once: rows are sent as they come
 * (grouped per binlog rows event, split per partition), and {@link #endOfBatch} returns only once Kafka
 * acknowledged every message sent for the batch, so the container acknowledges the batch (and the binlog
 * checkpoint advances) only after that. A DDL waits for everything before it and for itself. Any failure
 * throws {@link RelaySendException}; what was sent of the batch is sent again after the rollback (duplicates,
 * never loss). Used by one thread, the source's container.
 */
public final class KafkaRelay implements AutoCloseable {

    private final String sourceName;
    private final Producer<byte[], byte[]> producer;
    private final RelayEncoding encoding;
    private final FlatMessages messages;
    private final TopicRouter topics;
    private final PartitionHash partitions;
    private final Duration sendTimeout;

    /** Rows of the current rows event, not yet sent. */
    private final List<RowChange> run = new ArrayList<>();
    private long runBatch;
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();
    private long messagesSent;

    /** A relay writing flat messages. */
    public KafkaRelay(String sourceName, Producer<byte[], byte[]> producer, ObjectMapper json, FlatMessages messages,
                      TopicRouter topics, PartitionHash partitions, Duration sendTimeout) {
        this(sourceName, producer, RelayEncoding.flat(json), messages, topics, partitions, sendTimeout);
    }

    /** A relay writing {@code format}: flat messages or Canal's protobuf packets. */
    public KafkaRelay(String sourceName, Producer<byte[], byte[]> producer, MessageFormat format, ObjectMapper json,
                      CanalColumnText text, TopicRouter topics, PartitionHash partitions, Duration sendTimeout) {
        this(sourceName, producer, RelayEncoding.of(format, json, text), new FlatMessages(text), topics, partitions,
                sendTimeout);
    }

    private KafkaRelay(String sourceName, Producer<byte[], byte[]> producer, RelayEncoding encoding,
                       FlatMessages messages, TopicRouter topics, PartitionHash partitions, Duration sendTimeout) {
        this.sourceName = sourceName;
        this.producer = producer;
        this.encoding = encoding;
        this.messages = messages;
        this.topics = topics;
        this.partitions = partitions;
        this.sendTimeout = sendTimeout;
    }

    public String sourceName() {
        return sourceName;
    }

    /** Messages Kafka acknowledged so far. */
    public long messagesSent() {
        return messagesSent;
    }

    public void row(long batchId, RowChange row) {
        if (!run.isEmpty()) {
            RowChange last = run.get(run.size() - 1);
            if (batchId != runBatch || last.tableSchema() != row.tableSchema() || last.type() != row.type()
                    || !last.position().equals(row.position())) {
                sendRun();
            }
        }
        runBatch = batchId;
        run.add(row);
    }

    public void ddl(long batchId, SchemaChange ddl) {
        sendRun();
        FlatMessage message = messages.ddl(batchId, ddl);
        List<String> to = message.database() == null || message.table() == null
                ? List.of(topics.defaultTopic()) : topics.topics(message.database(), message.table());
        byte[] value = encode(message, () -> encoding.ddl(batchId, message, ddl));
        for (String topic : to) {
            send(topic, 0, value);
        }
        awaitPending();
    }

    /** Sends what is left and waits until Kafka acknowledged every message of the batch. */
    public void endOfBatch() {
        sendRun();
        awaitPending();
    }

    /** Forgets unsent rows and unawaited sends: the batch is being rolled back and comes again. */
    public void discard() {
        run.clear();
        pending.clear();
    }

    private void sendRun() {
        if (run.isEmpty()) {
            return;
        }
        List<RowChange> rows = List.copyOf(run);
        run.clear();
        FlatMessage message = messages.rows(runBatch, rows);
        int count = partitions.partitions();
        if (count == 1) {
            byte[] value = encode(message, () -> encoding.rows(runBatch, message, rows));
            for (String topic : topics.topics(message.database(), message.table())) {
                send(topic, 0, value);
            }
            return;
        }
        // Canal's split: each row to its key's partition, the rows of one partition in one message, in order.
        Map<Integer, List<Integer>> rowsByPartition = new LinkedHashMap<>();
        for (int i = 0; i < message.data().size(); i++) {
            int partition = partitions.partition(message.database(), message.table(), message.pkNames(),
                    message.data().get(i));
            rowsByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }
        boolean oldPerRow = message.old() != null && message.old().size() == message.data().size();
        for (int partition = 0; partition < count; partition++) {
            List<Integer> rowsOfPartition = rowsByPartition.get(partition);
            if (rowsOfPartition == null) {
                continue;
            }
            boolean all = rowsByPartition.size() == 1;
            FlatMessage part = all ? message : subset(message, rowsOfPartition, oldPerRow);
            List<RowChange> changes = all ? rows : rowsOfPartition.stream().map(rows::get).toList();
            byte[] value = encode(part, () -> encoding.rows(runBatch, part, changes));
            for (String topic : topics.topics(message.database(), message.table())) {
                send(topic, partition, value);
            }
        }
    }

    private static FlatMessage subset(FlatMessage m, List<Integer> rows, boolean oldPerRow) {
        List<Map<String, String>> data = new ArrayList<>(rows.size());
        List<Map<String, String>> old = m.old() == null ? null : new ArrayList<>(rows.size());
        for (int i : rows) {
            data.add(m.data().get(i));
            if (old != null && (oldPerRow || i < m.old().size())) {
                old.add(m.old().get(i));
            }
        }
        return new FlatMessage(m.id(), m.database(), m.table(), m.pkNames(), m.isDdl(), m.type(), m.es(), m.ts(),
                m.sql(), m.sqlType(), m.mysqlType(), data, old == null || old.isEmpty() ? null : old, m.gtid());
    }

    private byte[] encode(FlatMessage message, java.util.function.Supplier<byte[]> encoder) {
        try {
            return encoder.get();
        } catch (RuntimeException e) {
            throw new RelaySendException("Relay of source '" + sourceName + "': cannot write the message of "
                    + message.database() + "." + message.table() + ": " + e.getMessage(), e);
        }
    }

    private void send(String topic, int partition, byte[] value) {
        try {
            pending.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
        } catch (RuntimeException e) {
            pending.clear();
            throw new RelaySendException("Relay of source '" + sourceName + "': sending to " + topic + "-" + partition
                    + " failed: " + e.getMessage() + "; the batch is rolled back", e);
        }
    }

    private void awaitPending() {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        try {
            for (Future<RecordMetadata> future : pending) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                messagesSent++;
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RelaySendException("Relay of source '" + sourceName + "': Kafka did not acknowledge a message: "
                    + cause + "; the batch is rolled back, not acknowledged", cause);
        } catch (TimeoutException e) {
            throw new RelaySendException("Relay of source '" + sourceName + "': Kafka did not acknowledge the batch's "
                    + "messages within " + sendTimeout + " (canal.*.relay.send-timeout); the batch is rolled back, "
                    + "not acknowledged", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelaySendException("Relay of source '" + sourceName + "': interrupted while waiting for Kafka; "
                    + "the batch is rolled back", e);
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
