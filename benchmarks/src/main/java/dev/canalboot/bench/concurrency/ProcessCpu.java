package dev.canalboot.bench.concurrency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU time of whole processes (user + system, every thread) from Linux's {@code /proc/<pid>/stat}: what the
 * harness JVM and each database server spent during a run, to tell a run bound by the machine's cores (their sum
 * near cores × seconds) from one bound by waiting. Linux counts it in clock ticks of 10 ms.
 */
final class ProcessCpu {

    /** Linux's USER_HZ, the unit of utime and stime in /proc (100 on every mainstream kernel configuration). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final Map<String, Long> pids;

    /** Measures the processes named by label (label → pid). */
    ProcessCpu(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
    }

    /** The pid of the {@code mysqld} (or {@code mariadbd}) listening on {@code port}, found by its command line. */
    static OptionalLong serverPid(int port) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String command = Files.readString(process.resolve("cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
                    if ((command.contains("mysqld") || command.contains("mariadbd")) && command.contains("--port=" + port + " ")) {
                        return OptionalLong.of(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile, or is not ours to read
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty(); // no /proc: not Linux
        }
        return OptionalLong.empty();
    }

    /** CPU nanoseconds so far per label; -1 for a process that cannot be read. */
    Map<String, Long> sample() {
        Map<String, Long> sample = new LinkedHashMap<>();
        pids.forEach((label, pid) -> sample.put(label, cpuNanos(pid)));
        return sample;
    }

    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.UTF_8);
            // Fields after the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU µs per row of each process between two samples, and their total. */
    record PerRow(List<String> labels, List<Double> micros, double totalMicros, double busyCores) {
    }

    static PerRow perRow(Map<String, Long> before, Map<String, Long> after, long rows, double seconds) {
        List<String> labels = new ArrayList<>();
        List<Double> micros = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            long start = before.getOrDefault(entry.getKey(), -1L);
            if (start < 0 || entry.getValue() < 0) {
                continue;
            }
            double perRow = (entry.getValue() - start) / 1e3 / rows;
            labels.add(entry.getKey());
            micros.add(perRow);
            total += perRow;
        }
        return new PerRow(labels, micros, total, total * rows / 1e6 / seconds);
    }
}
