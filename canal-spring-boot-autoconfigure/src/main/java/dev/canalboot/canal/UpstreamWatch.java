package dev.canalboot.canal;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Asks the database a Canal server reads ({@link UpstreamProbe}) every quarter of the stall timeout, on a thread of
 * its own, and keeps the {@link StallDetector}'s verdict for health, the endpoint and the log.
 */
final class UpstreamWatch {

    private static final Logger log = LoggerFactory.getLogger(CanalChangeSource.class);

    private final String description;
    private final UpstreamProbe probe;
    private final Duration stallTimeout;
    private final LongSupplier lastEntryAt;
    private final StallDetector detector;
    private @Nullable ScheduledExecutorService executor;
    private volatile @Nullable String verdict;
    /** Counts {@link #stop()}s: a check that began before one gives no verdict. */
    private volatile long generation;
    private boolean probeFailing;

    UpstreamWatch(String description, UpstreamProbe probe, Duration stallTimeout, LongSupplier lastEntryAt) {
        this.description = description;
        this.probe = probe;
        this.stallTimeout = stallTimeout;
        this.lastEntryAt = lastEntryAt;
        this.detector = new StallDetector(stallTimeout.toMillis());
    }

    synchronized void start(String sourceName) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("canal-" + sourceName
                + "-stall-check", true));
        long period = Math.max(1, stallTimeout.toMillis() / 4);
        executor.scheduleWithFixedDelay(this::check, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops probing. Does not block (it may run on the source's event loop): the probe's connection is closed on
     * the watch's own thread, after a check that may be running.
     */
    synchronized void stop() {
        synchronized (detector) { // a check holding it finishes first; any later one sees the new generation
            generation++;
            verdict = null;
        }
        if (executor != null) {
            executor.execute(this::forget);
            executor.shutdown(); // the periodic check ends; the task above still runs
            executor = null;
        }
    }

    private void forget() {
        synchronized (detector) {
            detector.reset();
        }
        probeFailing = false;
        if (probe instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("{}: closing the stall check's connection: {}", description, e.toString());
            }
        }
    }

    Duration stallTimeout() {
        return stallTimeout;
    }

    /** A message saying the server stopped delivering, or {@code null}. */
    @Nullable String verdict() {
        return verdict;
    }

    private void check() {
        long began = generation;
        String marker;
        try {
            marker = probe.commitMarker();
            if (probeFailing) {
                probeFailing = false;
                log.info("{}: the database answers the stall check again", description);
            }
        } catch (Exception e) {
            if (!probeFailing) {
                probeFailing = true;
                log.warn("{}: cannot ask the database whether it committed (no stall verdict until it answers): {}",
                        description, e.getMessage());
            }
            return;
        }
        long lastEntry = lastEntryAt.getAsLong();
        synchronized (detector) {
            if (began != generation) {
                return;
            }
            if (detector.observe(marker, System.currentTimeMillis(), lastEntry)) {
                if (detector.stalled()) {
                    verdict = "no change from the Canal server since " + Instant.ofEpochMilli(lastEntry)
                            + " although the database committed several times over more than " + stallTimeout
                            + " (now at " + marker + "): the Canal server is not reading the binlog; see its log";
                    log.error("{}: stalled: {}. Canal keeps answering with nothing, so this source looks idle;"
                            + " it recovers by itself once the server delivers again", description, verdict);
                } else {
                    verdict = null;
                    log.info("{}: the Canal server delivers again", description);
                }
            }
        }
    }
}
