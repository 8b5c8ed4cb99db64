package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

/**
 * The consumer {@link dev.canalboot.internal.binlog.schema.SchemaCrashIT} kills with SIGKILL while DDL and rows
 * flow: a binlog source with a file checkpoint store (schema history included) in a poll → log (fsync'd) → ack loop.
 * Each row of the schema is
 * logged whole ({@link #line}); it stops cleanly (saving its checkpoint) once the stop file exists. Arguments:
 * host port user password serverId checkpointDir log schema startFile startPosition stopFile.
 */
public final class SchemaCrashConsumerMain {

    public static void main(String[] args) throws Exception {
        BinlogSourceSettings settings = MainArgs.binlogSource("schema-crash", args)
                .start(new StartPosition.FilePosition(args[8], Long.parseLong(args[9])))
                .batchSize(20)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 30)
                .build();
        String schema = args[7];
        Path stop = Path.of(args[10]);
        try (FileChannel log = FileChannel.open(Path.of(args[6]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
             BinlogChangeSource source = new BinlogChangeSource(settings, new FileCheckpointStore(Path.of(args[5])),
                     CheckpointPolicy.EVERY_BATCH)) {
            source.start();
            write(log, "\nRUN\n");
            while (!Files.exists(stop)) {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch == null) {
                    continue;
                }
                StringBuilder lines = new StringBuilder();
                for (ChangeEvent e : batch.events()) {
                    if (e instanceof RowChange r && r.schema().equals(schema)) {
                        lines.append(line(r.table(), r.type(), r.row().toMap())).append('\n');
                    }
                }
                write(log, lines.toString());
                source.ack(batch);
            }
        }
    }

    /**
     * A row as one line: table, change type, then each column's name, value and Java type of the row (the after
     * image, or the before image of a delete), ending in {@code ;}.
     */
    public static String line(String table, dev.canalboot.model.ChangeType type, Map<String, Object> row) {
        StringBuilder sb = new StringBuilder(table).append(' ').append(type);
        row.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v)
                .append(':').append(v == null ? "null" : v.getClass().getSimpleName()));
        return sb.append(" ;").toString();
    }

    private static void write(FileChannel channel, String text) throws Exception {
        if (text.isEmpty()) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }
}
