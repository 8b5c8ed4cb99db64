package dev.canalboot.bench.snapshot;

import dev.canalboot.bench.measure.Sink;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotSettings;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One contender of the snapshot benchmark in a JVM of its own ({@link SnapshotBenchMain} starts it): reads every
 * row of one table once, touching every value, and prints {@code RESULT rows=... nanos=... cpuNanos=...} (wall time
 * and this process's CPU time, every thread, from the contender's start to its last row; the logging system is set up
 * before the clock starts, as an application has it before it starts a source). Arguments: contender
 * ({@code ours}, {@code jdbc}, {@code debezium}) host port user password schema table rows.
 * <ul>
 * <li>{@code ours}: a binlog source with {@code snapshot.mode=initial-only}, the default chunk size, polling and
 * acknowledging (file checkpoints in a temporary directory) until the source finished.</li>
 * <li>{@code jdbc}: one {@code SELECT *} through MySQL Connector/J with a streaming result set (fetch size
 * {@code Integer.MIN_VALUE}), every column read with {@code getObject} ({@code getString} for TIME, which can be a
 * duration {@code java.sql.Time} cannot hold): the limit for one connection.</li>
 * <li>{@code debezium}: Debezium 3.6.1.Final's embedded engine with its MySQL connector, {@code snapshot.mode=
 * initial_only}, {@code snapshot.locking.mode=none}, offsets and schema history in memory; every field of the
 * after image of each read record.</li>
 * </ul>
 */
public final class SnapshotContenderMain {

    /** System property with our snapshot's chunk size (SnapshotBenchMain's --chunk-size); unset: the default. */
    static final String CHUNK_SIZE_PROPERTY = "bench.snapshot.chunk-size";


    public static void main(String[] args) throws Exception {
        String contender = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        String user = args[3];
        String password = args[4];
        String schema = args[5];
        String table = args[6];
        long rows = Long.parseLong(args[7]);
        // Logback reads its configuration on the first logger (0.1-0.2 s of class loading and XML); an application has
        // done that before it starts a source, and the JDBC contender logs nothing: no part of a snapshot's cost.
        org.slf4j.LoggerFactory.getILoggerFactory();
        Sink sink = new Sink();
        long cpu = cpuNanos();
        long started = System.nanoTime();
        long read = switch (contender) {
            case "ours" -> ours(host, port, user, password, schema + "." + table, sink);
            case "jdbc" -> jdbc(host, port, user, password, schema + "." + table, sink);
            case "debezium" -> debezium(host, port, user, password, schema, table, rows, sink);
            default -> throw new IllegalArgumentException("Unknown contender '" + contender + "': ours, jdbc or debezium");
        };
        long nanos = System.nanoTime() - started;
        cpu = cpuNanos() - cpu;
        System.out.println("RESULT rows=" + read + " nanos=" + nanos + " cpuNanos=" + cpu + " sink=" + sink.state());
        System.exit(0); // an engine's non-daemon threads must not keep the JVM
    }

    private static long ours(String host, int port, String user, String password, String table, Sink sink)
            throws Exception {
        BinlogSourceSettings settings = BinlogSourceSettings.builder("snapshot-bench", host, port, user, password)
                .serverId(61_001).tls(TlsSettings.DISABLED).start(new StartPosition.Latest()).build();
        FileCheckpointStore store = new FileCheckpointStore(Files.createTempDirectory("snapshot-bench"));
        long read = 0;
        try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.snapshots(new SnapshotSettings(SnapshotMode.INITIAL_ONLY, List.of(table),
                    Integer.getInteger(CHUNK_SIZE_PROPERTY, SnapshotSettings.DEFAULT_CHUNK_SIZE), Map.of()));
            source.start();
            while (!source.finished()) {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch == null) {
                    if (source.snapshotStatus() != null && "FAILED".equals(source.snapshotStatus().state())) {
                        throw new IllegalStateException("Snapshot failed", source.lastError());
                    }
                    continue;
                }
                for (ChangeEvent e : batch.events()) {
                    if (e instanceof RowChange r && r.type() == ChangeType.SNAPSHOT) {
                        Row row = r.after();
                        for (int i = 0; i < row.size(); i++) {
                            sink.consume(row.get(i));
                        }
                        read++;
                    }
                }
                source.ack(batch);
            }
        }
        return read;
    }

    private static long jdbc(String host, int port, String user, String password, String table, Sink sink)
            throws Exception {
        String url = "jdbc:mysql://" + host + ":" + port + "/?useSSL=false&allowPublicKeyRetrieval=true";
        long read = 0;
        try (Connection c = DriverManager.getConnection(url, user, password);
             Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE); // Connector/J streams the rows instead of buffering them all
            try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                int columns = rs.getMetaData().getColumnCount();
                boolean[] time = new boolean[columns + 1];
                for (int i = 1; i <= columns; i++) {
                    // java.sql.Time cannot hold a TIME outside 00:00-24:00 (a duration): read those as text
                    time[i] = rs.getMetaData().getColumnType(i) == java.sql.Types.TIME;
                }
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        sink.consume(time[i] ? rs.getString(i) : rs.getObject(i));
                    }
                    read++;
                }
            }
        }
        return read;
    }

    private static long debezium(String host, int port, String user, String password, String schema, String table,
                                 long rows, Sink sink) throws Exception {
        Properties props = new Properties();
        props.setProperty("name", "snapshot-bench");
        props.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        props.setProperty("offset.flush.interval.ms", "60000");
        props.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        props.setProperty("snapshot.mode", "initial_only");
        props.setProperty("snapshot.locking.mode", "none");
        props.setProperty("database.hostname", host);
        props.setProperty("database.port", Integer.toString(port));
        props.setProperty("database.user", user);
        props.setProperty("database.password", password);
        props.setProperty("database.server.id", "61002");
        props.setProperty("database.ssl.mode", "disabled");
        props.setProperty("topic.prefix", "bench");
        props.setProperty("database.include.list", schema);
        props.setProperty("table.include.list", schema + "." + table);
        props.setProperty("include.schema.changes", "false");
        String topic = "bench." + schema + "." + table;
        AtomicLong read = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .using((success, message, error) -> {
                    if (!success && done.getCount() > 0) {
                        failure.set(new IllegalStateException("Debezium engine stopped: " + message, error));
                        done.countDown();
                    }
                })
                .notifying((records, committer) -> {
                    for (RecordChangeEvent<SourceRecord> event : records) {
                        SourceRecord record = event.record();
                        if (topic.equals(record.topic()) && record.value() instanceof Struct envelope) {
                            Struct after = envelope.getStruct("after");
                            for (Field field : after.schema().fields()) {
                                sink.consume(after.get(field));
                            }
                            if (read.incrementAndGet() == rows) {
                                done.countDown();
                            }
                        }
                        committer.markProcessed(event);
                    }
                    committer.markBatchFinished();
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-engine"));
        executor.execute(engine);
        done.await();
        engine.close();
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get());
        }
        return read.get();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
