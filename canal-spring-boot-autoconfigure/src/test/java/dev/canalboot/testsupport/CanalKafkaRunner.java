package dev.canalboot.testsupport;

import com.alibaba.otter.canal.connector.core.producer.MQDestination;
import com.alibaba.otter.canal.connector.core.util.Callback;
import com.alibaba.otter.canal.connector.kafka.producer.CanalKafkaProducer;
import com.alibaba.otter.canal.protocol.ClientIdentity;
import com.alibaba.otter.canal.protocol.Message;
import com.alibaba.otter.canal.server.embedded.CanalServerWithEmbedded;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Canal server in Kafka MQ mode: {@link CanalServerRunner}'s server, and Canal 1.1.7's own Kafka producer
 * ({@code connector.kafka}, with the kafka-clients 2.4.0 it bundles) fed the way Canal's MQ starter feeds it: fetch a
 * batch without ack, send it, ack when the producer says the sends succeeded, roll back when not. Loaded only inside
 * {@link EmbeddedCanalServer}'s isolated class loader, next to Spring 5 and that older kafka-clients.
 */
public final class CanalKafkaRunner implements AutoCloseable {

    private final CanalServerRunner server;
    private final CanalKafkaProducer producer;
    private final Thread loop;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * Settings as for {@link CanalServerRunner}, plus {@code mqServers} (bootstrap servers), {@code mqTopic},
     * {@code mqFlat} (Boolean), {@code mqPartitions} (Integer), {@code mqPartitionHash} (String, may be absent).
     */
    public CanalKafkaRunner(Map<String, Object> settings) {
        server = new CanalServerRunner(settings);
        Properties properties = new Properties();
        properties.setProperty("canal.mq.flatMessage", String.valueOf(settings.get("mqFlat")));
        properties.setProperty("canal.mq.canalBatchSize", "50");
        properties.setProperty("canal.mq.canalGetTimeout", "100");
        // Canal 1.1.7's canal.properties defaults for its Kafka producer
        properties.setProperty("kafka.bootstrap.servers", (String) settings.get("mqServers"));
        properties.setProperty("kafka.acks", "all");
        properties.setProperty("kafka.compression.type", "none");
        properties.setProperty("kafka.batch.size", "16384");
        properties.setProperty("kafka.linger.ms", "1");
        properties.setProperty("kafka.max.request.size", "1048576");
        properties.setProperty("kafka.buffer.memory", "33554432");
        properties.setProperty("kafka.max.in.flight.requests.per.connection", "1");
        properties.setProperty("kafka.retries", "0");
        producer = new CanalKafkaProducer();
        try {
            producer.init(properties);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        MQDestination destination = new MQDestination();
        destination.setCanalDestination(server.destination());
        destination.setTopic((String) settings.get("mqTopic"));
        destination.setPartitionsNum((Integer) settings.get("mqPartitions"));
        destination.setPartitionHash((String) settings.get("mqPartitionHash"));
        if (destination.getPartitionHash() == null) {
            destination.setPartition(0);
        }
        loop = new Thread(() -> run(server.embedded(), destination), "canal-mq-kafka-" + server.destination());
        loop.setDaemon(true);
        loop.start();
    }

    private void run(CanalServerWithEmbedded embedded, MQDestination destination) {
        ClientIdentity client = new ClientIdentity(destination.getCanalDestination(), (short) 1001, "");
        try {
            embedded.subscribe(client);
            while (running) {
                Message message = embedded.getWithoutAck(client, 50, 100L, TimeUnit.MILLISECONDS);
                long batchId = message.getId();
                int size = message.isRaw() ? message.getRawEntries().size() : message.getEntries().size();
                if (batchId == -1 || size == 0) {
                    if (batchId != -1) {
                        embedded.ack(client, batchId);
                    }
                    continue;
                }
                producer.send(destination, message, new Callback() {
                    @Override
                    public void commit() {
                        embedded.ack(client, batchId);
                    }

                    @Override
                    public void rollback() {
                        embedded.rollback(client, batchId);
                    }
                });
            }
        } catch (Throwable e) {
            if (running) {
                failure = e;
                e.printStackTrace();
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        loop.join(10_000);
        try {
            producer.stop();
        } finally {
            server.close();
        }
        if (failure != null) {
            throw new IllegalStateException("Canal's MQ loop failed", failure);
        }
    }
}
