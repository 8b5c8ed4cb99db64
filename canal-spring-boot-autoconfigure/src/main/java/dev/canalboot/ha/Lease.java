package dev.canalboot.ha;

/**
 * How long this instance may still act as leader by its own clock: until the start of the last confirmed renewal
 * plus a share of the lease the others wait for. A process frozen past that (GC pause, SIGSTOP) finds its lease run
 * out the moment it resumes, before it delivers or acknowledges anything.
 */
final class Lease {

    /** The share of the lease this instance relies on: its clock and the election's may drift apart a little. */
    private static final double SAFETY = 0.8;

    private final long nanos;
    private volatile long validUntil;
    private volatile boolean held;

    Lease(java.time.Duration duration) {
        this.nanos = (long) (duration.toNanos() * SAFETY);
    }

    /** A renewal that was sent at {@code startedNanos} ({@link System#nanoTime()}) succeeded. */
    void renewed(long startedNanos) {
        validUntil = startedNanos + nanos;
        held = true;
    }

    void end() {
        held = false;
    }

    boolean valid() {
        return held && System.nanoTime() - validUntil < 0;
    }
}
