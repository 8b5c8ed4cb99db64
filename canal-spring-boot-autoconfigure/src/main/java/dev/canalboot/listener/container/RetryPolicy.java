package dev.canalboot.listener.container;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import java.time.Duration;

/**
 * How often and how patiently a failed call is tried again: a listener delivery before the
 * {@link ListenerErrorHandler} decides, or a failed {@code poll} of the source before the container fails.
 * The wait before attempt {@code n+1} is {@code min(initialInterval * multiplier^(n-1), maxInterval)}.
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

    /**
     * This policy as Spring's {@link BackOff}: each execution gives {@code maxAttempts - 1} waits, then
     * {@link BackOffExecution#STOP}.
     */
    public BackOff toBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
        backOff.setMaxInterval(maxInterval.toMillis());
        backOff.setMaxAttempts(maxAttempts - 1L);
        return backOff;
    }

    /** The wait in milliseconds after {@code failedAttempt} (1-based) failed, as {@link #toBackOff()} gives it. */
    public long delayMillisAfter(int failedAttempt) {
        BackOffExecution execution = new RetryPolicy(Integer.MAX_VALUE, initialInterval, multiplier, maxInterval)
                .toBackOff().start();
        long delay = 0;
        for (int i = 0; i < failedAttempt; i++) {
            delay = execution.nextBackOff();
        }
        return delay;
    }
}
