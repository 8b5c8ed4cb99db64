package dev.canalboot.canal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stall verdict over probe results (times in seconds for reading, passed as millis). */
class StallDetectorTest {

    private static final long S = 1000;
    private final StallDetector detector = new StallDetector(10 * S);

    @Test
    void commitsAWindowApartWithoutAnyEntryAreAStallAndAnEntryEndsIt() {
        long lastEntry = 1 * S;
        detector.observe("a", 2 * S, lastEntry);
        assertThat(detector.observe("b", 5 * S, lastEntry)).isFalse(); // first commit, in (2, 5]
        assertThat(detector.observe("c", 10 * S, lastEntry)).isFalse(); // in (5, 10]: too close to the first
        assertThat(detector.observe("c", 15 * S, lastEntry)).isFalse();
        assertThat(detector.observe("d", 17 * S, lastEntry)).isFalse(); // second commit, in (15, 17]: 10 s after 5
        assertThat(detector.observe("d", 21 * S, lastEntry)).isFalse(); // half a window for it to arrive...
        assertThat(detector.observe("d", 22 * S, lastEntry)).isTrue(); // ... passed
        assertThat(detector.stalled()).isTrue();
        assertThat(detector.stalledSince()).isEqualTo(22 * S);

        assertThat(detector.observe("e", 25 * S, 23 * S)).isTrue(); // an entry arrived at 23
        assertThat(detector.stalled()).isFalse();
    }

    @Test
    void anIdleDatabaseIsNeverAStall() {
        for (long t = 1; t < 100; t++) {
            detector.observe("same", t * S, 0);
        }
        assertThat(detector.stalled()).isFalse();
    }

    @Test
    void commitsCloserThanTheWindowAreNoStall() {
        // Canal forwards a filtered commit only every few seconds: commits within one window prove nothing.
        detector.observe("a", 1 * S, 0);
        detector.observe("b", 2 * S, 0);
        detector.observe("c", 9 * S, 0);
        for (long t = 10; t < 60; t++) {
            detector.observe("c", t * S, 0);
        }
        assertThat(detector.stalled()).isFalse();
    }

    @Test
    void aCommitThatMayPrecedeTheLastEntryDoesNotCount() {
        // changed between probes at 1 and 5, but the entry arrived at 3: the commit may be the delivered one
        detector.observe("a", 1 * S, 0);
        detector.observe("b", 5 * S, 3 * S);
        detector.observe("c", 14 * S, 3 * S); // first commit after the entry, in (5, 14]
        detector.observe("c", 20 * S, 3 * S);
        detector.observe("d", 25 * S, 3 * S); // in (20, 25]: only 6 s after 14
        detector.observe("d", 40 * S, 3 * S);
        assertThat(detector.stalled()).isFalse();
        detector.observe("e", 41 * S, 3 * S); // in (40, 41]: 26 s after 14
        detector.observe("e", 46 * S, 3 * S);
        assertThat(detector.stalled()).isTrue();
    }

    @Test
    void entriesKeepStartingItOver() {
        long t = 0;
        for (int i = 0; i < 50; i++) {
            t += 2 * S;
            detector.observe("m" + i, t, t - S); // commits all the time, and an entry a second before each probe
        }
        assertThat(detector.stalled()).isFalse();
    }
}
