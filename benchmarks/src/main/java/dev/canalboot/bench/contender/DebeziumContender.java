package dev.canalboot.bench.contender;

import dev.canalboot.bench.measure.Sink;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Contender 7: Debezium's embedded engine with its MySQL connector, default settings but for what reading one
 * workload's binlog from its first event takes: offsets in memory, preloaded with the workload's binlog start
 * ({@link PreloadedOffsetStore}); schema history in memory, rebuilt from the live table at start
 * ({@code snapshot.mode=recovery}: no data snapshot, schema only, then streaming from the stored offset). The
 * consumer reads every field of both images of every change record (Kafka Connect {@link Struct}s).
 *
 * <p>Runs only in the separate-JVM harness: Debezium brings its own fork of the binlog connector in the same
 * packages as contender 3's, and each child JVM gets the one its contender needs.
 */
public final class DebeziumContender implements Contender {

    public static final String ID = dev.canalboot.bench.jvm.JvmContenders.DEBEZIUM;
    private static final String TOPIC_PREFIX = "bench";
    /**
     * What the consumer waits per change record (system property {@code bench.listener.park.nanos}, default 0):
     * the concurrency benchmark's listener that does 1 ms of I/O per row.
     */
    static final long PARK_NANOS = Long.getLong("bench.listener.park.nanos", 0);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Debezium 3.6.1.Final embedded engine, MySQL connector, consumer reads every field of both images";
    }

    /**
     * Debezium 3 reads MariaDB only through its separate MariaDB connector, which the Maven registry this project
     * is built from does not serve; its MySQL connector stops on MariaDB 11.4.5 while validating the connection
     * ({@code SHOW BINARY LOG STATUS}, which MariaDB does not know).
     */
    @Override
    public String unavailableReason(dev.canalboot.bench.BenchServer server) {
        return server.flavor() == dev.canalboot.bench.BenchServer.Flavor.MARIADB
                ? "Debezium 3 reads MariaDB only through io.debezium:debezium-connector-mariadb, which does not "
                + "resolve here; its MySQL connector stops on MariaDB (SHOW BINARY LOG STATUS)" : null;
    }

    @Override
    public void run(RunContext context) throws Exception {
        String name = "bench-debezium-" + context.replicaServerId();
        PreloadedOffsetStore.preload(name, TOPIC_PREFIX, context.binlog().start().file(),
                context.binlog().start().position());
        Properties props = new Properties();
        props.setProperty("name", name);
        props.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        props.setProperty("offset.storage", PreloadedOffsetStore.class.getName());
        props.setProperty("offset.flush.interval.ms", "60000");
        props.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        props.setProperty("snapshot.mode", "recovery");
        props.setProperty("snapshot.locking.mode", "none");
        props.setProperty("database.hostname", context.server().host());
        props.setProperty("database.port", Integer.toString(context.server().port()));
        props.setProperty("database.user", context.server().user());
        props.setProperty("database.password", context.server().password());
        props.setProperty("database.server.id", Long.toString(context.replicaServerId()));
        props.setProperty("database.ssl.mode", "disabled");
        props.setProperty("topic.prefix", TOPIC_PREFIX);
        props.setProperty("database.include.list", context.schema());
        props.setProperty("table.include.list", context.schema() + "." + context.table());
        props.setProperty("include.schema.changes", "false");
        props.setProperty("tombstones.on.delete", "false");

        String topic = TOPIC_PREFIX + "." + context.schema() + "." + context.table();
        Reader reader = new Reader(context, topic);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .using((success, message, error) -> {
                    if (!success && !context.isDone()) {
                        context.fail(new IllegalStateException("Debezium engine stopped: " + message, error));
                    }
                })
                .notifying(reader)
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-engine"));
        executor.execute(engine);
        try {
            context.awaitDone();
        } finally {
            try {
                engine.close();
            } catch (IllegalStateException alreadyStopped) {
                // The engine stopped on its own failure, which awaitDone() is throwing: that one tells what went wrong
            }
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Reads every field of the before and after images of the workload table's change records. */
    private static final class Reader implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

        private final RunContext context;
        private final String topic;
        private final Sink sink = new Sink();

        Reader(RunContext context, String topic) {
            this.context = context;
            this.topic = topic;
        }

        @Override
        public void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
                                DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
                throws InterruptedException {
            for (RecordChangeEvent<SourceRecord> event : records) {
                SourceRecord record = event.record();
                if (topic.equals(record.topic()) && record.value() instanceof Struct envelope) {
                    read(envelope.getStruct("before"));
                    read(envelope.getStruct("after"));
                    if (PARK_NANOS > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(PARK_NANOS);
                    }
                    context.delivered(1);
                }
                committer.markProcessed(event);
            }
            committer.markBatchFinished();
        }

        private void read(Struct image) {
            if (image == null) {
                return;
            }
            for (Field field : image.schema().fields()) {
                sink.consume(image.get(field));
            }
        }
    }
}
