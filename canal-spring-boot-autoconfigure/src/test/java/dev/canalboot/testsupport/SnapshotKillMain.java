package dev.canalboot.testsupport;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotSettings;
import dev.canalboot.snapshot.SnapshotStatus;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The consumer {@code SnapshotKillIT} kills with SIGKILL: a binlog source with {@code snapshot.mode=initial} and a
 * file checkpoint store, in a poll → log (fsync'd) → ack loop until killed. The log has a {@code RUN} line per start,
 * a {@code SNAPSHOT-START} line before it asks for an on-demand snapshot, a {@code CHUNK} line before the snapshot
 * rows of a batch, and a line per row change of the table: {@code type beforeId afterId k v ;} ({@code -} for an
 * absent image). Prints {@code READY snapshot resumed|new|none} once started (the checkpoint's snapshot resumed, a
 * new initial one, or none), {@code SNAPSHOT-START} when it starts an on-demand one, {@code ROWS n} (snapshot rows
 * logged by this run) after each acknowledged batch with snapshot rows, {@code HANDOVER} after logging the batch
 * that completes the snapshot (the source's snapshot status says DONE from the poll that hands that batch out),
 * before acknowledging it, and {@code HANDED-OVER} once that batch is acknowledged.
 * <p>
 * Arguments: host port user password serverId checkpointDir log table chunkSize, then optionally the hand-over
 * ({@code go}: acknowledge on, the default; {@code hold}: print {@code HOLDING} and never acknowledge the hand-over
 * batch, so a kill lands between its delivery and its acknowledgement) and {@code again} (when the checkpoint
 * records no snapshot to resume, ask for an on-demand snapshot of the table: a fresh one to hand over).
 */
public final class SnapshotKillMain {

    public static void main(String[] args) throws Exception {
        BinlogSourceSettings settings = MainArgs.binlogSource("snapkill", args)
                .start(new StartPosition.Latest())
                .batchSize(200)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), 30)
                .build();
        String table = args[7];
        FileCheckpointStore store = new FileCheckpointStore(Path.of(args[5]));
        // A snapshot running right after start() was resumed from the checkpoint, unless there was none.
        boolean fresh = store.load(settings.name()).isEmpty();
        try (FileChannel log = FileChannel.open(Path.of(args[6]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
             BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.snapshots(new SnapshotSettings(SnapshotMode.INITIAL, List.of(table), Integer.parseInt(args[8]),
                    Map.of()));
            boolean hold = args.length > 9 && args[9].equals("hold");
            boolean again = args.length > 10 && args[10].equals("again");
            write(log, "\nRUN\n");
            source.start();
            System.out.println("READY snapshot " + (source.snapshotStatus() == null ? "none" : fresh ? "new" : "resumed"));
            if (source.snapshotStatus() == null && again) {
                write(log, "SNAPSHOT-START\n");
                source.snapshot(List.of(table));
                System.out.println("SNAPSHOT-START");
            }
            long snapshotRows = 0;
            boolean handedOver = false;
            while (true) {
                ChangeBatch batch = source.poll(Duration.ofSeconds(1));
                if (batch == null) {
                    continue;
                }
                StringBuilder lines = new StringBuilder();
                boolean chunk = false;
                for (ChangeEvent event : batch.events()) {
                    if (event instanceof RowChange r && r.qualifiedTable().equals(table)) {
                        if (r.type() == ChangeType.SNAPSHOT && !chunk) {
                            lines.append("CHUNK ;\n");
                            chunk = true;
                        }
                        snapshotRows += r.type() == ChangeType.SNAPSHOT ? 1 : 0;
                        lines.append(r.type()).append(' ').append(id(r.before())).append(' ').append(id(r.after()))
                                .append(' ').append(r.after() == null ? "-" : r.after().getLong("k"))
                                .append(' ').append(r.after() == null ? "-" : r.after().getString("v")).append(" ;\n");
                    }
                }
                if (!lines.isEmpty()) {
                    write(log, lines.toString());
                }
                SnapshotStatus status = source.snapshotStatus();
                boolean handOver = !handedOver && status != null && "DONE".equals(status.state());
                if (handOver) {
                    handedOver = true;
                    System.out.println("HANDOVER");
                    if (hold) {
                        System.out.println("HOLDING");
                        Thread.sleep(Long.MAX_VALUE); // the kill lands here: delivered, not acknowledged
                    }
                }
                source.ack(batch);
                if (chunk) {
                    System.out.println("ROWS " + snapshotRows);
                }
                if (handOver) {
                    System.out.println("HANDED-OVER");
                }
            }
        }
    }

    private static String id(Row image) {
        return image == null ? "-" : String.valueOf(image.getLong("id"));
    }

    private static void write(FileChannel channel, String text) throws java.io.IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
    }
}
