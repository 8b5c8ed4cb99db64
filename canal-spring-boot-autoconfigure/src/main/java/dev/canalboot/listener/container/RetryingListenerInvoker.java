package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One listener call with its retries: waits between attempts as the {@link BackOff} says, gives an exception
 * the {@link RetryClassifier} calls not retryable straight to the {@link ListenerErrorHandler}, and lets the
 * handler decide once attempts are exhausted. Stateless per call, so one instance serves every thread.
 */
final class RetryingListenerInvoker {

    private static final Logger log = LoggerFactory.getLogger(RetryingListenerInvoker.class);

    private final String sourceName;
    private final BackOff backOff;
    private final int maxAttempts;
    private final RetryClassifier classifier;
    private final ListenerErrorHandler errorHandler;
    private final ContainerObserver observer;
    /**
     * Whether listener calls are timed: not for the no-op observer, which drops the duration. On a VM a clock
     * read costs 60-70 ns; two per row were a tenth of the CPU of decoding and delivering a narrow row.
     */
    private final boolean timed;
    /** True once the shutdown timeout passed: no further attempt starts. */
    private final BooleanSupplier aborted;
    /**
     * Asked right before each listener call: false once this instance may no longer deliver (high availability).
     * Asking here, not only per batch, keeps a process paused between the batch's check and the call (GC, SIGSTOP)
     * from calling the listener after its lease ran out.
     */
    private final BooleanSupplier permitted;
    private final LongSupplier clock;

    RetryingListenerInvoker(String sourceName, ContainerSettings settings, BooleanSupplier aborted,
                            BooleanSupplier permitted) {
        this(sourceName, settings, aborted, permitted, System::nanoTime);
    }

    /** @param clock nanoseconds for the durations the observer gets (a seam for tests) */
    RetryingListenerInvoker(String sourceName, ContainerSettings settings, BooleanSupplier aborted,
                            BooleanSupplier permitted, LongSupplier clock) {
        this.sourceName = sourceName;
        this.backOff = settings.retryPolicy().toBackOff();
        this.maxAttempts = settings.retryPolicy().maxAttempts();
        this.classifier = settings.retryClassifier();
        this.errorHandler = settings.errorHandler();
        this.observer = settings.observer();
        this.timed = observer != ContainerObserver.NOOP;
        this.aborted = aborted;
        this.permitted = permitted;
        this.clock = clock;
    }

    /**
     * Calls {@code endpoint} with {@code event}, or with {@code rows} for a batch listener (the other argument
     * is null), until it returns normally or the error handler said carry on.
     *
     * @throws ListenerExecutionFailedException when the error handler said stop, or threw itself
     * @throws InterruptedException             when interrupted or aborted by the shutdown timeout
     * @throws DeliveryRevokedException          when the delivery permit was withdrawn before a call
     */
    void invoke(ListenerEndpoint endpoint, ChangeEvent event, List<RowChange> rows) throws InterruptedException {
        BackOffExecution execution = null; // made on the first failure: the happy path allocates nothing
        for (int attempt = 1; ; attempt++) {
            if (aborted.getAsBoolean()) {
                throw new InterruptedException("shutdown timeout passed");
            }
            if (!permitted.getAsBoolean()) {
                throw new DeliveryRevokedException(sourceName);
            }
            long started = timed ? clock.getAsLong() : 0;
            try {
                ContainerObserver.ListenerScope scope = observer.listenerStarting(sourceName, endpoint, event, rows);
                try {
                    if (rows == null) {
                        endpoint.invoker().invoke(event);
                    } else {
                        endpoint.invoker().invokeBatch(rows);
                    }
                } catch (Exception | Error e) {
                    scope.close(e);
                    throw e;
                }
                scope.close(null);
                observer.listenerInvoked(sourceName, endpoint.id(), rows == null ? 1 : rows.size(),
                        timed ? clock.getAsLong() - started : 0);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (aborted.getAsBoolean()) {
                    throw new InterruptedException("shutdown timeout passed while " + endpoint.id() + " ran");
                }
                observer.listenerFailed(sourceName, endpoint.id(), attempt, e);
                if (!classifier.isRetryable(e)) {
                    if (attempt < maxAttempts) {
                        log.debug("Listener '{}' failed with {}, which is not retried", endpoint.id(), e.toString());
                    }
                    exhausted(endpoint, event, rows, e, attempt);
                    return;
                }
                if (execution == null) {
                    execution = backOff.start();
                }
                long delay = execution.nextBackOff();
                if (delay == BackOffExecution.STOP) {
                    exhausted(endpoint, event, rows, e, attempt);
                    return;
                }
                ChangeEvent first = rows == null ? event : rows.get(0);
                log.warn("Listener '{}' failed on {} at {} (attempt {} of {}), retrying in {} ms: {}", endpoint.id(),
                        describeTable(first), first.position(), attempt, maxAttempts, delay, e.toString());
                observer.retryScheduled(sourceName, endpoint.id(), attempt + 1, delay);
                if (delay > 0) {
                    Thread.sleep(delay);
                }
            }
        }
    }

    private void exhausted(ListenerEndpoint endpoint, ChangeEvent event, List<RowChange> rows, Exception error,
                           int attempts) {
        ListenerFailure failure = new ListenerFailure(sourceName, endpoint,
                rows == null ? List.of(event) : List.copyOf(rows), error, attempts);
        ListenerErrorHandler.Action action;
        try {
            action = errorHandler.handle(failure);
        } catch (Exception handlerError) {
            ListenerExecutionFailedException stop = new ListenerExecutionFailedException(failure);
            stop.addSuppressed(handlerError);
            throw stop;
        }
        if (action != ListenerErrorHandler.Action.CONTINUE) {
            throw new ListenerExecutionFailedException(failure);
        }
    }

    private static String describeTable(ChangeEvent event) {
        return event instanceof RowChange row ? row.qualifiedTable() : event.getClass().getSimpleName();
    }
}
