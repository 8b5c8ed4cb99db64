package dev.canalboot.bench.jvm;

import dev.canalboot.bench.measure.PerRowFigures;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a child JVM reports for one {@code run} command, as one {@code RESULT key=value ...} line on its stdout.
 *
 * @param rows                      rows delivered to the listener over the span
 * @param nanos                     the span: from the contender's start (connect included) to its last row
 * @param cpuNanos                  CPU time of the whole child JVM (all threads, GC and JIT included) over the span
 * @param allocatedBytes            bytes allocated by the child's threads over the span
 * @param peakHeapBytes             peak heap occupancy over the span
 * @param firstRowNanos             from the contender's start to its first row
 * @param firstRowSinceJvmStartNanos from the child JVM's start to the first row
 * @param passes                    how many times the binlog was read from its start to reach the rows asked for
 * @param error                     {@code null}, or why the run failed
 */
public record RunReport(long rows, long nanos, long cpuNanos, long allocatedBytes, long peakHeapBytes,
                        long firstRowNanos, long firstRowSinceJvmStartNanos, int passes, String error)
        implements PerRowFigures {

    static final String PREFIX = "RESULT ";

    static RunReport failed(String why) {
        return new RunReport(0, 0, 0, 0, 0, 0, 0, 0, why);
    }

    String line() {
        return String.format(Locale.ROOT, "%srows=%d nanos=%d cpuNanos=%d allocatedBytes=%d peakHeapBytes=%d "
                        + "firstRowNanos=%d firstRowSinceJvmStartNanos=%d passes=%d", PREFIX, rows, nanos, cpuNanos,
                allocatedBytes, peakHeapBytes, firstRowNanos, firstRowSinceJvmStartNanos, passes);
    }

    static RunReport parse(String line) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
        }
        return new RunReport(values.get("rows"), values.get("nanos"), values.get("cpuNanos"),
                values.get("allocatedBytes"), values.get("peakHeapBytes"), values.get("firstRowNanos"),
                values.get("firstRowSinceJvmStartNanos"), values.get("passes").intValue(), null);
    }
}
