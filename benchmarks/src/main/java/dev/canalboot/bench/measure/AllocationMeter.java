package dev.canalboot.bench.measure;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by the threads of this JVM between a {@link #start()} and a {@link #bytesSince} reading,
 * from {@code com.sun.management.ThreadMXBean}: threads alive at the reading count what they allocated since
 * the start (all of it when they started later). A thread that ends in between takes its count with it, so
 * contenders are read before they shut down.
 */
public final class AllocationMeter {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() {
    }

    /** Allocation so far by thread id. */
    public static Map<Long, Long> start() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> snapshot = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            snapshot.put(ids[i], Math.max(0, bytes[i]));
        }
        return snapshot;
    }

    /** CPU time of this JVM so far, every thread included. */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    public static long bytesSince(Map<Long, Long> start) {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] > 0) {
                total += Math.max(0, bytes[i] - start.getOrDefault(ids[i], 0L));
            }
        }
        return total;
    }
}
