package dev.canalboot.testsupport;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotSettings;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM {@code SnapshotHeapIT} starts with a small heap ({@code -Xmx256m}): a binlog source with
 * {@code snapshot.mode=initial-only} and the default chunk size reads one table to the end, polling and acknowledging
 * (file checkpoints in a temporary directory), then prints one line: {@code SNAPSHOT rows=... seconds=...
 * rowsPerSecond=... maxHeapMb=... usedHeapPeakMb=... afterGcPeakMb=... gcs=...}. {@code usedHeapPeakMb}: the
 * most heap in use, sampled every 20 ms (garbage included); {@code afterGcPeakMb}: the most the heap held right after
 * a collection (what stayed reachable). Arguments: host port user password serverId table.
 */
public final class SnapshotHeapMain {

    public static void main(String[] args) throws Exception {
        BinlogSourceSettings settings = MainArgs.binlogSource("heap", args)
                .start(new StartPosition.Latest())
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(30))
                .build();
        String table = args[5];
        AtomicLong usedPeak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            Runtime runtime = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                usedPeak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        AtomicLong afterGcPeak = new AtomicLong();
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).forEach(p -> heapPools.add(p.getName()));
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                            (javax.management.openmbean.CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                    afterGcPeak.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        long rows = 0;
        long started = System.nanoTime();
        FileCheckpointStore store = new FileCheckpointStore(Files.createTempDirectory("snapshot-heap"));
        try (BinlogChangeSource source = new BinlogChangeSource(settings, store, CheckpointPolicy.EVERY_BATCH)) {
            source.snapshots(new SnapshotSettings(SnapshotMode.INITIAL_ONLY, List.of(table),
                    SnapshotSettings.DEFAULT_CHUNK_SIZE, Map.of()));
            source.start();
            while (!source.finished()) {
                ChangeBatch batch = source.poll(Duration.ofMillis(500));
                if (batch == null) {
                    if (source.lastError() != null && source.snapshotStatus() != null
                            && "FAILED".equals(source.snapshotStatus().state())) {
                        throw new IllegalStateException("snapshot failed", source.lastError());
                    }
                    continue;
                }
                for (ChangeEvent e : batch.events()) {
                    if (e instanceof RowChange r && r.type() == ChangeType.SNAPSHOT) {
                        rows++;
                    }
                }
                source.ack(batch);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        long gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionCount()))
                .sum();
        System.out.printf("SNAPSHOT rows=%d seconds=%.1f rowsPerSecond=%d maxHeapMb=%d usedHeapPeakMb=%d"
                        + " afterGcPeakMb=%d gcs=%d%n", rows, seconds, Math.round(rows / seconds),
                Runtime.getRuntime().maxMemory() >> 20, usedPeak.get() >> 20, afterGcPeak.get() >> 20, gcs);
    }
}
