package dev.canalboot.canal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watch's own thread, probe errors and stop, with an in-memory probe (the verdict's rule itself is
 * {@link StallDetectorTest}'s). Waits are for the effect asserted, with deadlines far above the 200 ms window.
 */
class UpstreamWatchTest {

    private static final Duration STALL = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A database that commits between every two probes; closable like the JDBC probe. */
    static final class CommittingProbe implements UpstreamProbe, AutoCloseable {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean failing;

        @Override
        public String commitMarker() throws Exception {
            int n = calls.incrementAndGet();
            if (failing) {
                throw new java.sql.SQLException("database unreachable");
            }
            return "uuid:1-" + n;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void commitsWithoutEntriesGiveAStallVerdictThatAnEntryEnds() throws Exception {
        CommittingProbe probe = new CommittingProbe();
        long sessionBegan = System.currentTimeMillis() - 1;
        AtomicLong lastEntry = new AtomicLong(sessionBegan);
        UpstreamWatch watch = new UpstreamWatch("Canal source 'orders'", probe, STALL, lastEntry::get);
        assertThat(watch.stallTimeout()).isEqualTo(STALL);
        watch.start("orders");
        try {
            await("a stall verdict", () -> watch.verdict() != null);
            assertThat(watch.verdict()).startsWith("no change from the Canal server since "
                            + Instant.ofEpochMilli(sessionBegan))
                    .contains("although the database committed several times over more than PT0.2S (now at uuid:1-")
                    .endsWith("the Canal server is not reading the binlog; see its log");

            lastEntry.set(System.currentTimeMillis());
            await("the verdict to end once Canal delivers", () -> watch.verdict() == null);
        } finally {
            watch.stop();
        }
    }

    @Test
    void aProbeThatCannotAskTheDatabaseGivesNoVerdict() throws Exception {
        CommittingProbe probe = new CommittingProbe();
        probe.failing = true;
        UpstreamWatch watch = new UpstreamWatch("Canal source 'orders'", probe, STALL, () -> 1L);
        watch.start("orders");
        try {
            // well past the time commits would have given a verdict (see the test above)
            await("probes over several windows", () -> probe.calls.get() >= 20);
            assertThat(watch.verdict()).isNull();
            probe.failing = false;
            await("a verdict once the database answers", () -> watch.verdict() != null);
        } finally {
            watch.stop();
        }
    }

    @Test
    void stopForgetsTheVerdictAndClosesTheProbeOnTheWatchsThread() throws Exception {
        CommittingProbe probe = new CommittingProbe();
        UpstreamWatch watch = new UpstreamWatch("Canal source 'orders'", probe, STALL, () -> 1L);
        watch.start("orders");
        watch.start("orders"); // a second start keeps the one thread
        await("a stall verdict", () -> watch.verdict() != null);
        watch.stop();
        assertThat(watch.verdict()).as("gone at once").isNull();
        await("the probe closed", probe.closed::get);
        int calls = probe.calls.get();
        Thread.sleep(STALL.toMillis());
        assertThat(probe.calls.get()).as("no probe after stop").isEqualTo(calls);
        assertThat(watch.verdict()).isNull();

        // started again: a fresh detector, so a verdict needs new commits over a window again
        watch.start("orders");
        try {
            await("a verdict after restart", () -> watch.verdict() != null);
        } finally {
            watch.stop();
        }
    }

    @Test
    void stopWithoutStartDoesNothing() {
        UpstreamWatch watch = new UpstreamWatch("Canal source 'orders'", new CommittingProbe(), STALL, () -> 1L);
        watch.stop();
        assertThat(watch.verdict()).isNull();
    }
}
