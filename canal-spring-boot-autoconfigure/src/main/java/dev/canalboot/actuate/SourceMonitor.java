package dev.canalboot.actuate;

import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceState;
import dev.canalboot.source.SourceStatistics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What health, metrics and the actuator endpoint know about one source and its listener container:
 * states, lag, position and how long the connection has been down. Thread-safe.
 */
public final class SourceMonitor {

    private final CanalListenerContainer container;
    private final SourceStatistics statistics;
    private final Clock clock;
    private final LagTracker lag = new LagTracker();
    /** Local time the source was first seen without a connection, or UNKNOWN while connected. */
    private volatile long disconnectedSinceMillis = LagTracker.UNKNOWN;

    public SourceMonitor(CanalListenerContainer container, SourceStatistics statistics, Clock clock) {
        this.container = container;
        this.statistics = statistics;
        this.clock = clock;
    }

    public String name() {
        return container.getSourceName();
    }

    public CanalListenerContainer container() {
        return container;
    }

    public ChangeSource source() {
        return container.getSource();
    }

    public SourceStatistics statistics() {
        return statistics;
    }

    /** Fed by the container's observer. */
    LagTracker lagTracker() {
        return lag;
    }

    public SourceState sourceState() {
        SourceState state = source().state();
        trackConnection(state, clock.millis());
        return state;
    }

    public ContainerState containerState() {
        return container.getState();
    }

    /** Position of the last delivered change. */
    public SourcePosition position() {
        return container.getLastDeliveredPosition();
    }

    /** Current lag in milliseconds (see {@link LagTracker}), or {@link LagTracker#UNKNOWN}. */
    public long lagMillis() {
        return lag.lagMillis(clock.millis(), millis(statistics.lastHeartbeat()), millis(statistics.lastEventTimestamp()));
    }

    /** Current lag, or {@code null} when unknown. */
    public @Nullable Duration lag() {
        long millis = lagMillis();
        return millis == LagTracker.UNKNOWN ? null : Duration.ofMillis(millis);
    }

    /** Commit time of the last delivered change, or {@code null}. */
    public @Nullable Instant lastDeliveredCommitTime() {
        long millis = lag.lastDeliveredCommitMillis();
        return millis == LagTracker.UNKNOWN ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * How long the source has been without a connection while its container runs; {@link Duration#ZERO}
     * when connected (or deliberately idle). Measured from the first time a read of the state saw it down
     * (health checks and metric scrapes read it).
     */
    public Duration disconnectedFor() {
        long now = clock.millis();
        trackConnection(source().state(), now);
        long since = disconnectedSinceMillis;
        return since == LagTracker.UNKNOWN ? Duration.ZERO : Duration.ofMillis(Math.max(0, now - since));
    }

    /** The error that stopped the container, without credentials; {@code null} if none. */
    public @Nullable String lastErrorMessage() {
        Throwable error = container.getLastError();
        if (error == null) {
            return null;
        }
        String message = error.getMessage();
        return Redaction.redact(message == null ? error.getClass().getName() : message);
    }

    private void trackConnection(SourceState state, long now) {
        boolean down = isDisconnected(state, container.getState());
        if (!down) {
            disconnectedSinceMillis = LagTracker.UNKNOWN;
        } else if (disconnectedSinceMillis == LagTracker.UNKNOWN) {
            disconnectedSinceMillis = now;
        }
    }

    /** Down means: the container wants to read but the source has no connection. */
    static boolean isDisconnected(SourceState source, ContainerState container) {
        boolean wantsToRead = container == ContainerState.STARTING || container == ContainerState.RUNNING
                || container == ContainerState.PAUSED;
        return wantsToRead && (source == SourceState.CONNECTING || source == SourceState.RECONNECTING
                || source == SourceState.STOPPED || source == SourceState.FAILED);
    }

    private static long millis(Instant instant) {
        return instant == null ? LagTracker.UNKNOWN : instant.toEpochMilli();
    }
}
