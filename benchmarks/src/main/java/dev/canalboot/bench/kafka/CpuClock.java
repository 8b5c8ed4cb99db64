package dev.canalboot.bench.kafka;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM, every thread (GC and JIT included). */
final class CpuClock {

    private CpuClock() {
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
