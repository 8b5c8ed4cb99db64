package dev.canalboot.listener.container;

import org.jspecify.annotations.Nullable;
import org.springframework.core.task.TaskExecutor;

import java.time.Duration;
import java.util.Objects;

/**
 * How listener containers run. Define a bean of this type to change the defaults; immutable, change
 * with the {@code with...} methods.
 *
 * @param pollTimeout       how long one {@code poll} waits for a batch
 * @param shutdownTimeout   how long {@code stop} lets the in-flight batch finish before rolling it back
 * @param retryPolicy       retries of a failed listener delivery
 * @param retryClassifier   which listener exceptions are retried at all
 * @param errorHandler      what happens when retries are exhausted (or the exception is not retried)
 * @param sourceRetryPolicy retries of a failed {@code poll} of the source before the container fails
 * @param observer          metrics seam
 * @param executor          where listeners run; {@code null} runs them on the container's own thread. The
 *                          container waits for each batch's dispatch, so per-source order holds either way.
 * @param autoStartup       whether containers start with the application context
 * @param startPaused       whether containers start paused (call {@code resume()} to begin polling)
 * @param concurrency       rows handled at once and the order kept between them; with more than one worker,
 *                          {@code executor} (if set) runs the workers instead of the dispatch
 */
public record ContainerSettings(Duration pollTimeout, Duration shutdownTimeout, RetryPolicy retryPolicy,
                                RetryClassifier retryClassifier, ListenerErrorHandler errorHandler,
                                RetryPolicy sourceRetryPolicy, ContainerObserver observer,
                                @Nullable TaskExecutor executor, boolean autoStartup, boolean startPaused,
                                ListenerConcurrency concurrency) {

    public ContainerSettings {
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(retryClassifier, "retryClassifier");
        Objects.requireNonNull(errorHandler, "errorHandler");
        Objects.requireNonNull(sourceRetryPolicy, "sourceRetryPolicy");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(concurrency, "concurrency");
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("pollTimeout must be positive, was " + pollTimeout);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + shutdownTimeout);
        }
    }

    public static ContainerSettings defaults() {
        // 10 s shutdown: within Spring's default time per lifecycle shutdown phase.
        return new ContainerSettings(Duration.ofSeconds(1), Duration.ofSeconds(10), RetryPolicy.DEFAULT,
                RetryClassifier.retryAll(), ListenerErrorHandler.stopContainer(), RetryPolicy.DEFAULT,
                ContainerObserver.NOOP, null, true, false, ListenerConcurrency.SERIAL);
    }

    public ContainerSettings withPollTimeout(Duration value) {
        return new ContainerSettings(value, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withShutdownTimeout(Duration value) {
        return new ContainerSettings(pollTimeout, value, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withRetryPolicy(RetryPolicy value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, value, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withRetryClassifier(RetryClassifier value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, value, errorHandler,
                sourceRetryPolicy, observer, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withErrorHandler(ListenerErrorHandler value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, value,
                sourceRetryPolicy, observer, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withSourceRetryPolicy(RetryPolicy value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                value, observer, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withObserver(ContainerObserver value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, value, executor, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withExecutor(TaskExecutor value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, value, autoStartup, startPaused, concurrency);
    }

    public ContainerSettings withAutoStartup(boolean value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, executor, value, startPaused, concurrency);
    }

    public ContainerSettings withStartPaused(boolean value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, executor, autoStartup, value, concurrency);
    }

    public ContainerSettings withConcurrency(ListenerConcurrency value) {
        return new ContainerSettings(pollTimeout, shutdownTimeout, retryPolicy, retryClassifier, errorHandler,
                sourceRetryPolicy, observer, executor, autoStartup, startPaused, value);
    }
}
