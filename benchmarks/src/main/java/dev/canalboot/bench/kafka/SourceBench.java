package dev.canalboot.bench.kafka;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.canalboot.bench.measure.Sink;
import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka source against what users write today: one topic of Canal flat messages (one row of a ten-column
 * orders table each, partitioned by key), read to the end by (a) our Kafka source, every row's every value read as
 * its typed Java value, acknowledging each batch (offsets committed), and (b) a plain {@code KafkaConsumer} parsing
 * each message with Jackson into a class of its own, every value read as text, {@code commitSync} after each poll.
 * Each run reads the whole topic in a consumer group of its own.
 */
public final class SourceBench {

    static final String CONTENDER_OURS = "ours-kafka-source";
    static final String CONTENDER_PLAIN = "plain-consumer-jackson";
    static final String CONTENDER_LIMIT = "limit-consumer-no-parsing";

    private final KafkaBenchOptions options;

    public SourceBench(KafkaBenchOptions options) {
        this.options = options;
    }

    /** Fills a new topic, then runs both contenders {@code warmups} times unmeasured and {@code runs} times, alternating. */
    public List<KafkaRun> run() throws Exception {
        String topic = "bench_source_" + System.nanoTime();
        createTopic(options.bootstrapServers(), topic, options.partitions());
        fill(topic);
        for (int i = 0; i < options.warmups(); i++) {
            ours(topic, -1 - i);
            plain(topic, -1 - i);
            limit(topic, -1 - i);
        }
        List<KafkaRun> runs = new java.util.ArrayList<>();
        for (int i = 0; i < options.runs(); i++) {
            runs.add(ours(topic, i));
            runs.add(plain(topic, i));
            runs.add(limit(topic, i));
        }
        return runs;
    }

    static void createTopic(String servers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private void fill(String topic) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                options.bootstrapServers(), "linger.ms", 5, "batch.size", 262144, "acks", "1"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int id = 1; id <= options.messages(); id++) {
                producer.send(new ProducerRecord<>(topic, id % options.partitions(), null,
                        message(id).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** A flat message as Canal 1.1.7 writes one INSERT into {@code bench.orders}. */
    public static String message(int id) {
        return "{\"data\":[{\"id\":\"" + id + "\",\"customer\":\"customer-" + (id % 997) + "\",\"amount\":\""
                + (id % 100000) + "." + (id % 100 < 10 ? "0" : "") + id % 100 + "\",\"qty\":\"" + id % 50
                + "\",\"status\":\"" + (id % 3 + 1) + "\",\"created\":\"2024-05-01 12:34:56\",\"updated\":"
                + "\"2024-05-02 01:02:03.123456\",\"note\":\"some note text for row " + id + "\",\"flag\":\"1\","
                + "\"price\":\"" + (id % 1000) / 10.0 + "\"}],\"database\":\"bench\",\"es\":1714567890000,\"gtid\":\"\","
                + "\"id\":" + id + ",\"isDdl\":false,\"mysqlType\":{\"id\":\"bigint\",\"customer\":\"varchar(64)\","
                + "\"amount\":\"decimal(12,2)\",\"qty\":\"int\",\"status\":\"enum('new','paid','sent')\",\"created\":"
                + "\"datetime\",\"updated\":\"timestamp(6)\",\"note\":\"varchar(255)\",\"flag\":\"bit(1)\",\"price\":"
                + "\"double\"},\"old\":null,\"pkNames\":[\"id\"],\"sql\":\"\",\"sqlType\":{\"id\":-5,\"customer\":12,"
                + "\"amount\":3,\"qty\":4,\"status\":4,\"created\":93,\"updated\":93,\"note\":12,\"flag\":-7,\"price\":8},"
                + "\"table\":\"orders\",\"ts\":1714567890001,\"type\":\"INSERT\"}";
    }

    private KafkaRun ours(String topic, int run) throws Exception {
        KafkaSourceSettings.Builder builder = KafkaSourceSettings.builder("bench")
                .bootstrapServers(options.bootstrapServers())
                .groupId("bench-ours-" + run + "-" + System.nanoTime())
                .consumerProperties(options.sourceProperties())
                .topic(topic)
                .serverZone(ZoneOffset.UTC);
        if (options.decodeThreads() != null) {
            builder.decodeThreads(options.decodeThreads());
        }
        KafkaSourceSettings settings = builder.build();
        Sink sink = new Sink();
        long rows = 0;
        long cpu = CpuClock.processCpuNanos();
        long threadCpu = CpuClock.threadCpuNanos();
        long start = System.nanoTime();
        long firstRow = 0;
        try (KafkaChangeSource source = new KafkaChangeSource(settings)) {
            source.start();
            while (rows < options.messages()) {
                ChangeBatch batch = source.poll(Duration.ofSeconds(1));
                if (batch == null) {
                    continue;
                }
                if (firstRow == 0) {
                    firstRow = System.nanoTime();
                }
                for (ChangeEvent event : batch.events()) {
                    if (event instanceof RowChange change) {
                        Row row = change.row();
                        for (int i = 0; i < row.schema().size(); i++) {
                            sink.consume(row.get(i));
                        }
                        rows++;
                    }
                }
                source.ack(batch);
            }
        }
        return report(new KafkaRun("source", CONTENDER_OURS, rows, System.nanoTime() - start,
                CpuClock.processCpuNanos() - cpu), run, firstRow - start, CpuClock.threadCpuNanos() - threadCpu);
    }

    /** The message class a user writes for Jackson: the fields a listener needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PlainFlatMessage(String database, String table, String type, boolean isDdl, List<String> pkNames,
                            Map<String, String> mysqlType, List<Map<String, String>> data,
                            List<Map<String, String>> old) {
    }

    private KafkaRun plain(String topic, int run) {
        ObjectMapper json = JsonMapper.builder().build();
        Sink sink = new Sink();
        long rows = 0;
        long cpu = CpuClock.processCpuNanos();
        long threadCpu = CpuClock.threadCpuNanos();
        long start = System.nanoTime();
        long firstRow = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                options.bootstrapServers(), "group.id", "bench-plain-" + run + "-" + System.nanoTime(),
                "enable.auto.commit", false, "auto.offset.reset", "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (rows < options.messages()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(1));
                if (firstRow == 0 && !records.isEmpty()) {
                    firstRow = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    PlainFlatMessage message = json.readValue(record.value(), PlainFlatMessage.class);
                    for (Map<String, String> row : message.data()) {
                        row.values().forEach(sink::consume);
                        rows++;
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
        return report(new KafkaRun("source", CONTENDER_PLAIN, rows, System.nanoTime() - start,
                CpuClock.processCpuNanos() - cpu), run, firstRow - start, CpuClock.threadCpuNanos() - threadCpu);
    }

    /**
     * The limit: the source's consumer settings (its {@code max.poll.records}, values as views, read_committed), each
     * record's value length read and nothing parsed, offsets committed as the source commits them. What is left of
     * a contender's time beyond this one's is its decoding.
     */
    private KafkaRun limit(String topic, int run) {
        Map<String, Object> properties = new java.util.HashMap<>(Map.of("bootstrap.servers",
                options.bootstrapServers(), "group.id", "bench-limit-" + run + "-" + System.nanoTime(),
                "enable.auto.commit", false, "auto.offset.reset", "earliest", "isolation.level", "read_committed",
                "max.poll.records", KafkaSourceSettings.DEFAULT_MAX_POLL_RECORDS));
        properties.putAll(options.sourceProperties());
        long rows = 0;
        long bytes = 0;
        long cpu = CpuClock.processCpuNanos();
        long threadCpu = CpuClock.threadCpuNanos();
        long start = System.nanoTime();
        long firstRow = 0;
        try (KafkaConsumer<byte[], java.nio.ByteBuffer> consumer = new KafkaConsumer<>(properties,
                new ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteBufferDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (rows < options.messages()) {
                ConsumerRecords<byte[], java.nio.ByteBuffer> records = consumer.poll(Duration.ofSeconds(1));
                if (firstRow == 0 && !records.isEmpty()) {
                    firstRow = System.nanoTime();
                }
                for (ConsumerRecord<byte[], java.nio.ByteBuffer> record : records) {
                    bytes += record.value().remaining();
                    rows++;
                }
                if (!records.isEmpty()) {
                    consumer.commitAsync();
                }
            }
        }
        new Sink().consume(bytes);
        return report(new KafkaRun("source", CONTENDER_LIMIT, rows, System.nanoTime() - start,
                CpuClock.processCpuNanos() - cpu), run, firstRow - start, CpuClock.threadCpuNanos() - threadCpu);
    }

    /**
     * Prints what the table does not show: the time to the first row (joining the group: the same for both
     * contenders, and part of their rows/s) and the CPU of the contender's own thread per row (polling, decoding,
     * committing), which a loaded machine moves less than rows/s.
     */
    private static KafkaRun report(KafkaRun measured, int run, long toFirstRow, long threadCpu) {
        System.out.printf(java.util.Locale.ROOT, "source %s run %d: %,.0f rows/s, first row after %d ms, process CPU"
                        + " %.2f µs/row, its thread's CPU %.2f µs/row%n", measured.contender(), run,
                measured.rowsPerSecond(), toFirstRow / 1_000_000, measured.cpuMicrosPerRow(),
                threadCpu / 1e3 / measured.rows());
        return measured;
    }
}
