package dev.canalboot.bench.measure;

/**
 * The per-row figures of one measured span, derived from its totals: what the shared-JVM harness's
 * {@link Measurement} and the separate-JVM harness's run report both print. Not a number ({@code NaN}) for a run
 * that failed or read nothing.
 */
public interface PerRowFigures {

    long rows();

    long nanos();

    long cpuNanos();

    long allocatedBytes();

    /** {@code null}, or why the run has no figures. */
    String error();

    default boolean ok() {
        return error() == null;
    }

    default double rowsPerSecond() {
        return ok() && nanos() > 0 ? rows() * 1e9 / nanos() : Double.NaN;
    }

    default double cpuMicrosPerRow() {
        return ok() && rows() > 0 ? cpuNanos() / 1e3 / rows() : Double.NaN;
    }

    default double allocatedBytesPerRow() {
        return ok() && rows() > 0 ? (double) allocatedBytes() / rows() : Double.NaN;
    }
}
