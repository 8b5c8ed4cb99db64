package dev.canalboot.listener.container;

/**
 * Seam for metrics: the container calls these on its hot path, so implementations must be cheap and
 * must not throw. Arguments are primitives or strings the container already holds (no allocation per
 * call). Every method is a no-op by default.
 */
public interface ContainerObserver {

    ContainerObserver NOOP = new ContainerObserver() {
    };

    default void batchStarted(String source, long batchId, int size) {
    }

    /** @param acknowledged whether the batch was acknowledged (false: rolled back) */
    default void batchCompleted(String source, long batchId, int size, long durationNanos, boolean acknowledged) {
    }

    /** A listener returned normally; {@code events} is 1, or the row count of a batch listener call. */
    default void listenerInvoked(String source, String endpointId, int events, long durationNanos) {
    }

    /** A listener threw on attempt {@code attempt}. */
    default void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
    }

    /** A failed delivery will be tried again after {@code delayMillis}. */
    default void retryScheduled(String source, String endpointId, int nextAttempt, long delayMillis) {
    }

    /** The container stopped on {@code error} (listener failure or source failure). */
    default void containerFailed(String source, Throwable error) {
    }

    default void stateChanged(String source, ContainerState from, ContainerState to) {
    }
}
