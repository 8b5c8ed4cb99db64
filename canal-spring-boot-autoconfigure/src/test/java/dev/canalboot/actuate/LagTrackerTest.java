package dev.canalboot.actuate;

import org.junit.jupiter.api.Test;

import static dev.canalboot.actuate.LagTracker.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

class LagTrackerTest {

    private static final long T0 = 1_700_000_000_000L;

    private final LagTracker tracker = new LagTracker();

    @Test
    void unknownBeforeAnythingWasDeliveredOrHeard() {
        assertThat(tracker.lagMillis(T0, UNKNOWN, UNKNOWN)).isEqualTo(UNKNOWN);
    }

    @Test
    void lagIsNowMinusCommitTimeOfLastDeliveredChange() {
        tracker.delivered(T0);
        assertThat(tracker.lagMillis(T0 + 2_500, UNKNOWN, T0)).isEqualTo(2_500);
        tracker.delivered(T0 + 2_000);
        assertThat(tracker.lagMillis(T0 + 2_500, UNKNOWN, T0 + 2_000)).isEqualTo(500);
    }

    @Test
    void idleSourceWithHeartbeatsDoesNotLookBehind() {
        tracker.delivered(T0);
        // An hour without changes, heartbeat a second ago, nothing read after the last delivered change.
        long now = T0 + 3_600_000;
        assertThat(tracker.lagMillis(now, now - 1_000, T0)).isEqualTo(1_000);
    }

    @Test
    void heartbeatDoesNotHideChangesReadButNotDelivered() {
        tracker.delivered(T0);
        long now = T0 + 60_000;
        // The source read a change committed 10 s after the delivered one; it waits (paused, slow listener).
        assertThat(tracker.lagMillis(now, now - 500, T0 + 10_000)).isEqualTo(60_000);
    }

    @Test
    void silentConnectionShowsGrowingLag() {
        tracker.delivered(T0);
        long lastHeartbeat = T0 + 10_000;
        assertThat(tracker.lagMillis(T0 + 11_000, lastHeartbeat, T0)).isEqualTo(1_000);
        assertThat(tracker.lagMillis(T0 + 300_000, lastHeartbeat, T0)).isEqualTo(290_000);
    }

    @Test
    void changeAfterALongIdleTimeCountsFromTheLastHeartbeatSeenBeforeIt() {
        tracker.delivered(T0);
        long idleEnd = T0 + 3_600_000;
        assertThat(tracker.lagMillis(idleEnd, idleEnd - 400, T0)).isEqualTo(400);
        // A change committed at idleEnd was read and is being delivered: the source was caught up at the
        // last heartbeat, so the lag is not the hour since the previous change.
        assertThat(tracker.lagMillis(idleEnd + 1_000, idleEnd - 400, idleEnd)).isEqualTo(1_400);
        tracker.delivered(idleEnd);
        assertThat(tracker.lagMillis(idleEnd + 1_200, idleEnd - 400, idleEnd)).isEqualTo(1_200);
    }

    @Test
    void heartbeatAloneCountsWhenNothingWasRead() {
        assertThat(tracker.lagMillis(T0 + 700, T0, UNKNOWN)).isEqualTo(700);
    }

    @Test
    void acknowledgedEmptyBatchMeansCaughtUp() {
        tracker.delivered(T0);
        tracker.caughtUp(T0 + 50_000);
        assertThat(tracker.lagMillis(T0 + 50_200, UNKNOWN, UNKNOWN)).isEqualTo(200);
        tracker.caughtUp(T0 + 10_000); // an older signal never moves it back
        assertThat(tracker.lagMillis(T0 + 50_200, UNKNOWN, UNKNOWN)).isEqualTo(200);
    }

    @Test
    void serverClockAheadCountsAsNoLag() {
        tracker.delivered(T0 + 5_000);
        assertThat(tracker.lagMillis(T0, UNKNOWN, UNKNOWN)).isZero();
    }
}
