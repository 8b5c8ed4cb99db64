package dev.canalboot.source;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * How every source reconnects, whether the connection was lost or never made at start-up: the wait doubles
 * from {@code initialBackoff} after each failed attempt up to {@code maxBackoff}; after {@code maxAttempts}
 * failed attempts in a row the source fails, unless the policy is {@link #unlimited}.
 */
public final class ReconnectPolicy {

    /**
     * The one "forever" value of a reconnect limit, wherever one is given as a number (settings builders,
     * {@code reconnect.max-attempts}): keep trying for as long as the source runs. 0 means: do not reconnect.
     */
    public static final int FOREVER = -1;

    private static final int UNLIMITED = FOREVER;

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;

    private ReconnectPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("the first reconnect wait must be positive, not " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("the longest reconnect wait " + maxBackoff
                    + " is shorter than the first " + initialBackoff);
        }
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = maxAttempts;
    }

    /** Keeps trying for as long as the source runs, logging every failed attempt. */
    public static ReconnectPolicy unlimited(Duration initialBackoff, Duration maxBackoff) {
        return new ReconnectPolicy(initialBackoff, maxBackoff, UNLIMITED);
    }

    /**
     * {@link #unlimited} for {@link #FOREVER}, else {@link #limited}: how a limit given as a number becomes a policy.
     *
     * @throws IllegalArgumentException for a negative limit other than {@link #FOREVER}
     */
    public static ReconnectPolicy of(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        return maxAttempts == FOREVER ? unlimited(initialBackoff, maxBackoff)
                : limited(initialBackoff, maxBackoff, maxAttempts);
    }

    /** Fails the source after {@code maxAttempts} failed attempts in a row (0: at the first failure). */
    public static ReconnectPolicy limited(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("max reconnect attempts must be >= 0, or " + FOREVER
                    + " (ReconnectPolicy.FOREVER) to keep trying, not " + maxAttempts);
        }
        return new ReconnectPolicy(initialBackoff, maxBackoff, maxAttempts);
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public boolean isUnlimited() {
        return maxAttempts == UNLIMITED;
    }

    /** The limit of failed attempts in a row; meaningless when {@link #isUnlimited()}. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether failed attempt number {@code attempt} (1-based) is one too many: the source must fail. */
    public boolean exhausted(int attempt) {
        return !isUnlimited() && attempt > maxAttempts;
    }

    /** The wait before attempt number {@code attempt} (1-based). */
    public Duration delayBefore(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    /** "attempt 3 of 10", or "attempt 3, no limit": what each reconnect log line says. */
    public String describe(int attempt) {
        return "attempt " + attempt + (isUnlimited() ? ", no limit" : " of " + maxAttempts);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ReconnectPolicy p && p.initialBackoff.equals(initialBackoff)
                && p.maxBackoff.equals(maxBackoff) && p.maxAttempts == maxAttempts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialBackoff, maxBackoff, maxAttempts);
    }

    @Override
    public String toString() {
        return "reconnect every " + initialBackoff + " doubling up to " + maxBackoff + ", "
                + (isUnlimited() ? "without limit" : "at most " + maxAttempts + " attempts");
    }
}
