package dev.canalboot.listener.container;

import java.time.Duration;

/**
 * How often and how patiently a failed listener delivery is retried before the
 * {@link ListenerErrorHandler} decides. The wait before attempt {@code n+1} is
 * {@code min(initialInterval * multiplier^(n-1), maxInterval)}.
 *
 * @param maxAttempts     total attempts including the first; 1 means no retry
 * @param initialInterval wait after the first failure
 * @param multiplier      growth of the wait per further failure (at least 1)
 * @param maxInterval     cap of the wait
 */
public record RetryPolicy(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval) {

    /** 3 attempts, waiting 1 s then 2 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Retry maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialInterval == null || initialInterval.isNegative()) {
            throw new IllegalArgumentException("Retry initialInterval must be zero or positive, was " + initialInterval);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("Retry multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (maxInterval == null || maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("Retry maxInterval (" + maxInterval
                    + ") must be at least initialInterval (" + initialInterval + ")");
        }
    }

    /** A single attempt: failures go straight to the error handler. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /** The wait in milliseconds after {@code failedAttempt} (1-based) failed. */
    public long delayMillisAfter(int failedAttempt) {
        double delay = initialInterval.toMillis() * Math.pow(multiplier, failedAttempt - 1);
        return (long) Math.min(delay, maxInterval.toMillis());
    }
}
