package dev.canalboot.bench.jvm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Every run of one contender on one server and workload: the cold runs (a fresh child JVM each) and the measured
 * steady-state passes (its long-lived child JVM), both in round order, or the first failure.
 */
public final class Outcome {

    private final String server;
    private final String workload;
    private final String contender;
    final List<RunReport> cold = new ArrayList<>();
    final List<RunReport> steady = new ArrayList<>();
    final List<java.nio.file.Path> coldCurves = new ArrayList<>();
    private String error;
    private boolean absent;

    Outcome(String server, String workload, String contender) {
        this.server = server;
        this.workload = workload;
        this.contender = contender;
    }

    public String server() {
        return server;
    }

    public String workload() {
        return workload;
    }

    public String contender() {
        return contender;
    }

    public List<RunReport> cold() {
        return List.copyOf(cold);
    }

    public List<RunReport> steady() {
        return List.copyOf(steady);
    }

    /** {@code null}, or the first failure (later runs of this contender were skipped). */
    public String error() {
        return error;
    }

    void fail(String why) {
        if (error == null) {
            error = why;
        }
    }

    /** This contender cannot run on this server: not a failure of the run. */
    void absent(String why) {
        error = "absent: " + why;
        absent = true;
    }

    boolean absent() {
        return absent;
    }

    boolean ok() {
        return error == null;
    }

    /** The run with the median rows/s, or null when there is none. */
    static RunReport median(List<RunReport> runs) {
        if (runs.isEmpty()) {
            return null;
        }
        List<RunReport> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(RunReport::rowsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    static double median(List<RunReport> runs, ToDoubleFunction<RunReport> value) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }
}
