package dev.canalboot.bench.measure;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak heap in use between {@link #reset()} and {@link #peakBytes()}: the largest heap occupancy seen just
 * before a collection (where the saw-tooth peaks), or the occupancy now if that is larger.
 */
public final class HeapMonitor {

    private static final AtomicLong PEAK = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();

    static {
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageBeforeGc().entrySet()) {
                if (isHeapPool(pool.getKey())) {
                    used += pool.getValue().getUsed();
                }
            }
            PEAK.accumulateAndGet(used, Math::max);
            COLLECTIONS.incrementAndGet();
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
    }

    private HeapMonitor() {
    }

    private static boolean isHeapPool(String name) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(pool -> pool.getName().equals(name) && pool.getType() == java.lang.management.MemoryType.HEAP);
    }

    /** Collects garbage left by earlier runs, then starts a new peak. */
    public static void reset() {
        System.gc();
        PEAK.set(currentBytes());
        COLLECTIONS.set(0);
    }

    public static long peakBytes() {
        return Math.max(PEAK.get(), currentBytes());
    }

    public static long collections() {
        return COLLECTIONS.get();
    }

    public static long currentBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
