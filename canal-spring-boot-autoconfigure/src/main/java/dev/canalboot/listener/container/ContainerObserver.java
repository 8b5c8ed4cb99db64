package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.util.List;
import org.jspecify.annotations.Nullable;

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

    /**
     * A listener is about to be called on the current thread with {@code event} (event listeners) or
     * {@code rows} (batch listeners; the other argument is null). The returned scope is closed on the same
     * thread once the call returned or threw, before {@link #listenerInvoked} or {@link #listenerFailed}:
     * tracing opens its span here.
     */
    default ListenerScope listenerStarting(String source, ListenerEndpoint endpoint, ChangeEvent event,
                                           List<RowChange> rows) {
        return ListenerScope.NONE;
    }

    /** The source acknowledged {@code batch}: every event in it was delivered. Called before {@link #batchCompleted}. */
    default void batchAcknowledged(String source, ChangeBatch batch) {
    }

    /** What {@link #listenerStarting} opened around one listener call. */
    @FunctionalInterface
    interface ListenerScope {

        ListenerScope NONE = error -> {
        };

        /** @param error what the listener threw, or {@code null} when it returned normally */
        void close(@Nullable Throwable error);
    }

    /** A listener threw on attempt {@code attempt}. */
    default void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
    }

    /** A failed delivery will be tried again after {@code delayMillis}. */
    default void retryScheduled(String source, String endpointId, int nextAttempt, long delayMillis) {
    }

    /**
     * With concurrency: {@code rows} rows of one key of a batch, handed to a worker together, waited
     * {@code waitNanos} from their dispatch until the first of them started (behind earlier rows of their key, or
     * for a free worker).
     */
    default void rowsWaited(String source, int rows, long waitNanos) {
    }

    /** The container stopped on {@code error} (listener failure or source failure). */
    default void containerFailed(String source, Throwable error) {
    }

    default void stateChanged(String source, ContainerState from, ContainerState to) {
    }
}
