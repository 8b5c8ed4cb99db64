package dev.canalboot.listener.container;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The container's patience with a source whose {@code poll} failed with a retryable error: its own
 * {@link RetryPolicy} ({@link ContainerSettings#sourceRetryPolicy()}), not the listeners'. Consecutive failures
 * walk one {@link BackOffExecution}; a successful poll starts the next failure from the beginning.
 * Used by the container's thread only.
 */
final class SourceRetry {

    private final BackOff backOff;
    private final int maxAttempts;
    private BackOffExecution execution;
    private int failures;

    SourceRetry(RetryPolicy policy) {
        this.backOff = policy.toBackOff();
        this.maxAttempts = policy.maxAttempts();
    }

    /** A poll returned (with or without a batch). */
    void succeeded() {
        if (execution != null) {
            execution = null;
            failures = 0;
        }
    }

    /**
     * A poll failed retryably: the wait before polling again in milliseconds, or {@link BackOffExecution#STOP}
     * when the attempts are used up.
     */
    long failed() {
        failures++;
        if (execution == null) {
            execution = backOff.start();
        }
        return execution.nextBackOff();
    }

    /** Consecutive failed polls so far. */
    int failures() {
        return failures;
    }

    int maxAttempts() {
        return maxAttempts;
    }
}
