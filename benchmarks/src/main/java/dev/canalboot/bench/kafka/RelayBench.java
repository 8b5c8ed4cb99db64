package dev.canalboot.bench.kafka;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalRelayAutoConfiguration;
import dev.canalboot.bench.BenchOptions;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.Servers;
import dev.canalboot.bench.workload.GeneratedBinlog;
import dev.canalboot.bench.workload.Workload;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay against Canal 1.1.7's own MQ producer on the same binlog: an embedded MySQL 8.0.31 holds the narrow
 * workload's binlog ({@code --rows} rows); (a) a Spring Boot application with a binlog source relaying to Kafka
 * (flat messages, {@code --partitions} partitions by primary key) and (b) a Canal 1.1.7 server in Kafka MQ mode (its
 * {@code connector.kafka} producer, same format, partitions and hash) each publish it from its start into a topic of
 * their own. A run lasts from the contender's start until a consumer in this JVM has read every row from the topic
 * (the same reader for both).
 */
public final class RelayBench {

    static final String CONTENDER_OURS = "ours-relay";
    static final String CONTENDER_CANAL = "canal-1.1.7-mq";

    private final KafkaBenchOptions options;

    public RelayBench(KafkaBenchOptions options) {
        this.options = options;
    }

    public List<KafkaRun> run() throws Exception {
        List<KafkaRun> runs = new ArrayList<>();
        try (BenchServer server = Servers.start(BenchServer.Flavor.MYSQL, BenchOptions.parse())) {
            GeneratedBinlog binlog = Workload.NARROW.generate(server, options.rows());
            for (int i = 0; i < options.warmups() + options.runs(); i++) {
                KafkaRun ours = ours(server, binlog, i);
                KafkaRun canal = canal(server, binlog, i);
                if (i >= options.warmups()) {
                    runs.add(ours);
                    runs.add(canal);
                }
            }
        }
        return runs;
    }

    private KafkaRun ours(BenchServer server, GeneratedBinlog binlog, int run) throws Exception {
        String topic = "bench_relay_ours_" + System.nanoTime();
        SourceBench.createTopic(options.bootstrapServers(), topic, options.partitions());
        long cpu = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(RelayApp.class)
                .web(WebApplicationType.NONE).properties(
                        "canal.checkpoint.store=none",
                        "canal.source.host=" + server.host(), "canal.source.port=" + server.port(),
                        "canal.source.username=" + server.user(), "canal.source.password=" + server.password(),
                        "canal.source.ssl.mode=disabled",
                        "canal.source.server-id=" + (7100 + run),
                        "canal.source.start.mode=position", "canal.source.start.file=" + binlog.start().file(),
                        "canal.source.start.position=" + binlog.start().position(),
                        "canal.source.relay.enabled=true", "canal.source.relay.topic=" + topic,
                        "canal.source.relay.partitions=" + options.partitions(),
                        "spring.kafka.bootstrap-servers=" + options.bootstrapServers(),
                        "logging.level.dev.canalboot=WARN").run()) {
            long rows = awaitRows(topic, binlog.rows());
            return new KafkaRun("relay", CONTENDER_OURS, rows, System.nanoTime() - start,
                    CpuClock.processCpuNanos() - cpu);
        }
    }

    private KafkaRun canal(BenchServer server, GeneratedBinlog binlog, int run) throws Exception {
        String topic = "bench_relay_canal_" + System.nanoTime();
        SourceBench.createTopic(options.bootstrapServers(), topic, options.partitions());
        long cpu = CpuClock.processCpuNanos();
        long start = System.nanoTime();
        try (EmbeddedCanalServer canal = EmbeddedCanalServer.builder(server.embedded())
                .destination("benchrelay" + run)
                .filter(Workload.SCHEMA + "\\." + Workload.NARROW.table())
                .slaveId(7200 + run)
                .binlogPosition(binlog.start().file(), binlog.start().position())
                .kafka(options.bootstrapServers(), topic, true, options.partitions(), ".*\\..*:$pk$")
                .start()) {
            long rows = awaitRows(topic, binlog.rows());
            return new KafkaRun("relay", CONTENDER_CANAL, rows, System.nanoTime() - start,
                    CpuClock.processCpuNanos() - cpu);
        }
    }

    /** Reads the topic from its beginning until {@code rows} rows of flat messages arrived (at most 30 minutes). */
    long awaitRows(String topic, long rows) {
        ObjectMapper json = JsonMapper.builder().build();
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                options.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < options.partitions(); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long guard = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (seen < rows) {
                if (System.nanoTime() > guard) {
                    throw new IllegalStateException(topic + ": " + seen + " of " + rows + " rows after 30 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode message = json.readTree(record.value());
                    if (!message.get("isDdl").asBoolean() && message.get("data").isArray()) {
                        seen += message.get("data").size();
                    }
                }
            }
        }
        return seen;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({CanalAutoConfiguration.class, CanalRelayAutoConfiguration.class})
    @EnableConfigurationProperties(KafkaProperties.class)
    static class RelayApp {
    }
}
