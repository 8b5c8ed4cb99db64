package dev.canalboot.source;

import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * The lifecycle every source shares: its {@link SourceState}, the error that failed it, whether it was closed,
 * the count of failed reconnection attempts against its {@link ReconnectPolicy}, and the restart after a close or
 * a failure. A source keeps its connection and buffers itself and asks this which transitions are allowed.
 * <p>
 * Rules: a source starts when idle, stopped or failed; a failure is final for the run (a close keeps FAILED and
 * its error, for health); a source closed before it failed is STOPPED; nothing fails or reconnects a closed run.
 * Safe from any thread.
 */
public final class SourceLifecycle {

    private final String description;
    private final ReconnectPolicy reconnect;
    private volatile SourceState state = SourceState.IDLE;
    private volatile @Nullable SourceException failure;
    private volatile boolean closed;
    private boolean everStarted;
    private int failedAttempts;

    /**
     * @param description how messages name the source, e.g. {@code Source orders}
     * @param reconnect   how the source reconnects
     */
    public SourceLifecycle(String description, ReconnectPolicy reconnect) {
        this.description = description;
        this.reconnect = reconnect;
    }

    public SourceState state() {
        return state;
    }

    /** The error that failed the current or last run, or {@code null}. */
    public @Nullable SourceException lastError() {
        return failure;
    }

    public ReconnectPolicy reconnectPolicy() {
        return reconnect;
    }

    /** Closed and not started since. */
    public boolean isClosed() {
        return closed;
    }

    /** Failed, or closed: the run is over and nothing may reconnect it. */
    public boolean isOver() {
        return closed || state == SourceState.FAILED;
    }

    /**
     * Begins a start. Before a second start, {@code previousRun} (the first run's event loops, shut down by the
     * source's close) must end, so that none of their callbacks reaches the new run; the failure, the attempts and
     * the closed mark are forgotten.
     *
     * @param closePrevious closes what the previous run left open (a failed run may not have been closed); run
     *                      only on a restart, before waiting for {@code previousRun}
     * @return whether this is a restart: the source must forget what the previous run read and did not acknowledge
     * @throws IllegalStateException while the source runs (connecting, connected or reconnecting)
     * @throws SourceException       (retryable) when the previous run's threads did not end in time
     */
    public boolean beginStart(Runnable closePrevious, @Nullable EventLoopGroup... previousRun) {
        SourceState current = state;
        if (current != SourceState.IDLE && current != SourceState.STOPPED && current != SourceState.FAILED) {
            throw new IllegalStateException(description + " is " + current + "; close it before starting it again");
        }
        boolean restart;
        synchronized (this) {
            restart = everStarted;
            everStarted = true;
        }
        if (restart) {
            closePrevious.run();
            PreviousRun.awaitEnded(description, previousRun);
        }
        synchronized (this) {
            failure = null;
            failedAttempts = 0;
            closed = false;
            state = SourceState.CONNECTING;
        }
        return restart;
    }

    /** A session is up (state CONNECTED). False (nothing changed) when the run is over. */
    public synchronized boolean connected() {
        if (isOver()) {
            return false;
        }
        state = SourceState.CONNECTED;
        return true;
    }

    /**
     * The server did what the source asked (it streams, it answered a fetch): the next lost connection counts its
     * reconnect attempts from the first again. A server that accepts sessions but fails every request keeps
     * growing the back-off.
     */
    public synchronized void attemptSucceeded() {
        failedAttempts = 0;
    }

    /**
     * A connection attempt failed or a connection was lost, retryably: counts it and tells how long to wait before
     * the next attempt (state RECONNECTING), or {@code null} when the policy is used up (the caller fails the source
     * with {@link #gaveUp}) or the run is over.
     */
    public synchronized @Nullable Reconnect reconnectAfterFailure() {
        if (isOver()) {
            return null;
        }
        int attempt = ++failedAttempts;
        if (reconnect.exhausted(attempt)) {
            return new Reconnect(attempt, null, reconnect.describe(attempt));
        }
        state = SourceState.RECONNECTING;
        return new Reconnect(attempt, reconnect.delayBefore(attempt), reconnect.describe(attempt));
    }

    /** Reading again at once (a rollback re-reads on a new connection): state RECONNECTING unless over. */
    public synchronized boolean reconnectingNow() {
        if (isOver()) {
            return false;
        }
        state = SourceState.RECONNECTING;
        return true;
    }

    /**
     * The next reconnection attempt: when to make it, or that there is none left.
     *
     * @param attempt the failed attempt counted (1-based)
     * @param delay   the wait before the next attempt; {@code null} when the policy is used up
     * @param describe "attempt 3 of 10" or "attempt 3, no limit", for the log line
     */
    public record Reconnect(int attempt, @Nullable Duration delay, String describe) {

        public boolean exhausted() {
            return delay == null;
        }
    }

    /** The error a source fails with when its reconnect policy is used up, naming {@code what} it reconnected to. */
    public SourceException gaveUp(String what, SourceException last) {
        return new SourceException(description + " gave up reconnecting to " + what + " after "
                + reconnect.maxAttempts() + " attempts; last error: " + last.getMessage(), last, false);
    }

    /**
     * Fails the run with {@code error}, unless it is closed or already failed.
     *
     * @return whether this call failed it (the caller then releases the connection and logs)
     */
    public synchronized boolean fail(SourceException error) {
        if (isOver()) {
            return false;
        }
        failure = error;
        state = SourceState.FAILED;
        return true;
    }

    /**
     * Closes the run: STOPPED, or FAILED with its error kept when it failed before.
     *
     * @return whether this call closed it (false: closed already)
     */
    public synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        if (state != SourceState.FAILED) {
            state = SourceState.STOPPED;
        }
        return true;
    }

    /** For {@link ChangeSource#poll}: a closed source is an error of the caller's. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed; start it again to poll");
        }
    }

    /** For {@link ChangeSource#poll}: throws the error that failed the run, if any. */
    public void throwIfFailed() {
        SourceException error = failure;
        if (error != null && state == SourceState.FAILED) {
            throw error;
        }
    }

    @Override
    public String toString() {
        return description + " " + state;
    }
}
