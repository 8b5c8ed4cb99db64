package dev.canalboot.bench.kafka;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM, every thread (GC and JIT included), and of the calling thread alone. */
final class CpuClock {

    private CpuClock() {
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The calling thread's CPU time: a contender's own work, which other jobs on a loaded machine move less. */
    static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
