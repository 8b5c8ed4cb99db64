package dev.canalboot.actuate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the application is behind the server, for one source:
 * <pre>lag = now − max(commit time of the last delivered change, last time the source was known caught up)</pre>
 * A source is known caught up when an empty batch is acknowledged, or when it received a heartbeat at a
 * time it had read nothing newer than what was delivered. So an idle source with heartbeats shows a lag
 * below its heartbeat interval, while a source whose heartbeats stopped (a silent network) or whose
 * read changes wait undelivered (paused, slow listeners) shows a growing lag. Such evidence, once seen,
 * is kept: when a change arrives after a long idle time, the lag counts from the last heartbeat before
 * it, not from the change delivered before the idle time.
 * <p>
 * Times are epoch milliseconds; commit times come from the server's clock (second precision), the rest
 * from the local clock. Every reader (health, gauge, endpoint, the container after each acknowledgement)
 * also records heartbeat evidence. Thread-safe; no allocation.
 */
public final class LagTracker {

    /** No value. */
    public static final long UNKNOWN = Long.MIN_VALUE;

    private volatile long lastDeliveredCommitMillis = UNKNOWN;
    private final AtomicLong caughtUpMillis = new AtomicLong(UNKNOWN);

    /** A batch whose last change was committed at {@code commitMillis} was delivered and acknowledged. */
    public void delivered(long commitMillis) {
        lastDeliveredCommitMillis = commitMillis;
    }

    /** Everything the source had read was delivered at {@code atMillis} (an empty batch was acknowledged). */
    public void caughtUp(long atMillis) {
        caughtUpMillis.accumulateAndGet(atMillis, Math::max);
    }

    /** Commit time of the last delivered change, or {@link #UNKNOWN}. */
    public long lastDeliveredCommitMillis() {
        return lastDeliveredCommitMillis;
    }

    /**
     * @param nowMillis           the local time now
     * @param heartbeatMillis     when the source last heard from an idle server, or {@link #UNKNOWN}
     * @param lastReadCommitMillis commit time of the last event the source read, or {@link #UNKNOWN} if the
     *                            source does not tell (then a heartbeat is trusted as caught up)
     * @return the lag in milliseconds (never negative: server clocks ahead of ours count as no lag), or
     * {@link #UNKNOWN} before anything was delivered or heard
     */
    public long lagMillis(long nowMillis, long heartbeatMillis, long lastReadCommitMillis) {
        long delivered = lastDeliveredCommitMillis;
        if (heartbeatMillis != UNKNOWN && (lastReadCommitMillis == UNKNOWN || lastReadCommitMillis <= delivered)) {
            caughtUp(heartbeatMillis);
        }
        long reference = Math.max(delivered, caughtUpMillis.get());
        if (reference == UNKNOWN) {
            return UNKNOWN;
        }
        return Math.max(0, nowMillis - reference);
    }
}
