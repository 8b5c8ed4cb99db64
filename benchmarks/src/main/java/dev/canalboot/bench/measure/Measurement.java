package dev.canalboot.bench.measure;

import java.util.List;

/**
 * One measured run of one contender over one workload binlog, or why it has none.
 *
 * @param nanos          from the contender's start (connect included) to its last row delivered
 * @param allocatedBytes bytes allocated by all threads of the harness JVM in that time
 * @param peakHeapBytes  peak heap occupancy in that time (see {@code HeapMonitor})
 * @param cpuNanos       CPU time of the whole harness JVM (every thread, GC and JIT included) in that time:
 *                       unlike rows/s, barely moved by other processes sharing the machine
 * @param error          {@code null}, or what went wrong / why the contender is absent
 * @param rounds         rows/s of every measured round, in round order (this measurement is their median); a
 *                       ratio to another contender pairs the runs of one round, which met the same machine
 */
public record Measurement(String server, String workload, String contender, long rows, long nanos,
                          long allocatedBytes, long peakHeapBytes, long cpuNanos, String error, List<Double> rounds)
        implements PerRowFigures {

    public Measurement {
        rounds = List.copyOf(rounds);
    }

    public static Measurement absent(String server, String workload, String contender, String why) {
        return new Measurement(server, workload, contender, 0, 0, 0, 0, 0, why, List.of());
    }

    /** The same run, as the median of {@code rounds}. */
    public Measurement withRounds(List<Double> rounds) {
        return new Measurement(server, workload, contender, rows, nanos, allocatedBytes, peakHeapBytes, cpuNanos,
                error, rounds);
    }
}
