package dev.canalboot.canal;

import org.jspecify.annotations.Nullable;

/**
 * Tells a Canal destination that stopped reading the binlog from one that is idle. The client alone cannot: both
 * answer every fetch with nothing. With the database's commit marker ({@link UpstreamProbe}) it can, because
 * Canal (1.1.x, with its default {@code canal.instance.filter.transaction.entry=false}) forwards at least the
 * transaction entries of one commit in every 5 seconds even when its filter drops the commit's rows.
 * <p>
 * The verdict: stalled when, with no entry from Canal since, the database committed once and committed again at
 * least {@code window} later, and another half window has passed for that commit to arrive. It ends when an
 * entry arrives. A database whose marker moves without a commit (a MySQL without GTIDs rotating its binlog) can
 * only cause a false verdict by doing so twice, a window apart, with no commit in between.
 * <p>
 * Times are local epoch milliseconds; the caller provides them (and serialises the calls).
 */
final class StallDetector {

    private final long window;
    private @Nullable String marker;
    private long probedAt;
    /** The first change seen after the last entry happened after this time; 0 for none. */
    private long firstChangeAfter;
    /** ... and before this one (the probe that saw it). */
    private long firstChangeBy;
    /** The probe that saw a change at least a window after the first one; 0 for none. */
    private long secondChangeBy;
    private long stalledSince;

    StallDetector(long windowMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.window = windowMillis;
    }

    /**
     * One probe.
     *
     * @param marker      the database's commit marker at {@code now}
     * @param now         when the probe answered
     * @param lastEntryAt when the last answer with entries arrived from Canal (or the session began)
     * @return whether the verdict changed (stalled ↔ delivering)
     */
    boolean observe(String marker, long now, long lastEntryAt) {
        boolean wasStalled = stalledSince != 0;
        if (firstChangeAfter != 0 && lastEntryAt > firstChangeAfter) {
            firstChangeAfter = 0; // Canal delivered since: start over
            firstChangeBy = 0;
            secondChangeBy = 0;
            stalledSince = 0;
        }
        boolean changed = this.marker != null && !this.marker.equals(marker);
        long previousProbe = probedAt;
        this.marker = marker;
        this.probedAt = now;
        if (changed && previousProbe > lastEntryAt) {
            // committed in (previousProbe, now], after the last entry
            if (firstChangeAfter == 0) {
                firstChangeAfter = previousProbe;
                firstChangeBy = now;
            } else if (secondChangeBy == 0 && previousProbe - firstChangeBy >= window) {
                secondChangeBy = now;
            }
        }
        if (stalledSince == 0 && secondChangeBy != 0 && now - secondChangeBy >= window / 2) {
            stalledSince = now;
        }
        return wasStalled != (stalledSince != 0);
    }

    /** Forgets everything (a new session, a rollback). */
    void reset() {
        marker = null;
        probedAt = 0;
        firstChangeAfter = 0;
        firstChangeBy = 0;
        secondChangeBy = 0;
        stalledSince = 0;
    }

    boolean stalled() {
        return stalledSince != 0;
    }

    /** When the verdict "stalled" was reached; 0 when not stalled. */
    long stalledSince() {
        return stalledSince;
    }

    @Nullable String marker() {
        return marker;
    }
}
