package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.source.ChangeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;

import java.time.Duration;
import java.util.List;

/**
 * The container's loop with {@code concurrency > 1}, on the container's thread: polls, hands batches to a
 * {@link ConcurrentDispatch}, acknowledges them in order, and ends the work in flight on stop, failure or abort.
 * The container's lifecycle state stays in {@link CanalListenerContainer}, reached through {@link Control}.
 */
final class ConcurrentLoop {

    private static final Logger log = LoggerFactory.getLogger(CanalListenerContainer.class);
    /** The longest poll while work is in flight: completed batches wait at most this long for their ack. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    /** How long aborted workers get to notice their interrupt. */
    private static final long ABORT_GRACE_NANOS = Duration.ofSeconds(2).toNanos();

    /** The container as this loop sees it. */
    interface Control {
        boolean stopRequested();

        boolean paused();

        /** The shutdown timeout passed. */
        boolean abortRequested();

        /** The container is FAILED (a failed source acknowledges nothing more). */
        boolean failed();

        /** Waits while paused; false when the container must stop. */
        boolean awaitNotPaused();

        /** One poll with the source's retry policy; {@link CanalListenerContainer#END} ends the loop. */
        ChangeBatch poll(SourceRetry sourceRetry, Duration timeout);

        /** Marks {@code batch} in flight unless a stop was requested (then false). */
        boolean claim(ChangeBatch batch);

        /** The oldest unacknowledged batch, or null: what {@code stop} looks at. */
        void oldestInFlight(ChangeBatch batch);

        /** The dispatch while this loop runs, null after. */
        void running(ConcurrentDispatch dispatch);

        void acknowledged(ChangeBatch batch, int delivered, long startedNanos);

        void rollback(ChangeBatch batch);

        void fail(Throwable error);
    }

    private final String sourceName;
    private final ChangeSource source;
    private final ContainerSettings settings;
    private final ContainerObserver observer;
    private final EventDelivery delivery;
    private final Control control;

    ConcurrentLoop(String sourceName, ChangeSource source, ContainerSettings settings, EventDelivery delivery,
                   Control control) {
        this.sourceName = sourceName;
        this.source = source;
        this.settings = settings;
        this.observer = settings.observer();
        this.delivery = delivery;
        this.control = control;
    }

    /**
     * The loop with several workers: poll while fewer than {@code maxInFlight} batches are unacknowledged, hand
     * each to the {@link ConcurrentDispatch}, acknowledge the batches done in full, oldest first. Polls are short
     * while work is in flight, so acknowledgements do not wait for a poll timeout.
     */
    void run() {
        ListenerConcurrency concurrency = settings.concurrency();
        ConcurrentDispatch dispatch = new ConcurrentDispatch(sourceName, concurrency, observer, delivery);
        TaskExecutor executor = settings.executor() != null ? settings.executor() : ownWorkerThreads();
        Duration busyPoll = settings.pollTimeout().compareTo(BUSY_POLL) < 0 ? settings.pollTimeout() : BUSY_POLL;
        long waitNanos = settings.pollTimeout().toNanos();
        control.running(dispatch);
        try {
            dispatch.start(executor);
            SourceRetry sourceRetry = new SourceRetry(settings.sourceRetryPolicy());
            while (true) {
                if (!acknowledgeCompleted(dispatch)) {
                    finishInFlight(dispatch, false);
                    return;
                }
                if (dispatch.failure() != null) {
                    stopOnListenerFailure(dispatch);
                    return;
                }
                if (control.stopRequested()) {
                    finishInFlight(dispatch, true);
                    return;
                }
                if (control.paused()) {
                    // Pausing lets the work in flight finish and be acknowledged first.
                    if (dispatch.unackedCount() > 0) {
                        dispatch.awaitProgress(waitNanos);
                    } else if (!control.awaitNotPaused()) {
                        finishInFlight(dispatch, true);
                        return;
                    }
                    continue;
                }
                if (dispatch.unackedCount() >= concurrency.maxInFlight()) {
                    dispatch.awaitProgress(waitNanos);
                    continue;
                }
                ChangeBatch batch = control.poll(sourceRetry, dispatch.unackedCount() > 0 ? busyPoll : settings.pollTimeout());
                if (batch == CanalListenerContainer.END) {
                    finishInFlight(dispatch, true);
                    return;
                }
                if (batch == null) {
                    continue;
                }
                if (!control.claim(batch)) {
                    Thread.interrupted();
                    finishInFlight(dispatch, true, batch);
                    return;
                }
                observer.batchStarted(sourceName, batch.id(), batch.events().size());
                dispatch.submit(batch);
            }
        } catch (InterruptedException e) {
            finishInFlight(dispatch, false); // the shutdown timeout passed
        } catch (RuntimeException | Error e) {
            log.error("Stopping the listener container of source '{}': concurrent dispatch failed", sourceName, e);
            finishInFlight(dispatch, false);
            control.fail(e);
        } finally {
            dispatch.close();
            control.running(null);
            control.oldestInFlight(null);
        }
    }

    /** One thread per worker, virtual where the JVM has them; daemons, so a stuck listener cannot hold the JVM. */
    private TaskExecutor ownWorkerThreads() {
        SimpleAsyncTaskExecutor executor = ListenerExecutors.virtualThreadsIfAvailable("canal-" + sourceName + "-worker-");
        executor.setDaemon(true);
        return executor;
    }

    /** Acknowledges the batches done in full, oldest first; false when an acknowledgement failed. */
    private boolean acknowledgeCompleted(ConcurrentDispatch dispatch) {
        ConcurrentDispatch.InFlightBatch done;
        while ((done = dispatch.takeCompleted()) != null) {
            ChangeBatch batch = done.batch;
            try {
                source.ack(batch);
            } catch (RuntimeException e) {
                log.error("Source '{}' failed to acknowledge batch {} (up to {})", sourceName, batch.id(),
                        batch.lastPosition(), e);
                observer.batchCompleted(sourceName, batch.id(), batch.events().size(),
                        System.nanoTime() - done.startedNanos, false);
                control.fail(e);
                return false;
            }
            control.acknowledged(batch, done.delivered.get(), done.startedNanos);
        }
        control.oldestInFlight(dispatch.oldestUnacked());
        return true;
    }

    private void stopOnListenerFailure(ConcurrentDispatch dispatch) {
        Throwable error = dispatch.failure();
        if (error instanceof DeliveryRevokedException) {
            // Not a failure: another instance leads now. Nothing more is delivered or acknowledged here.
            log.warn("Source '{}': {}; the batches in flight are rolled back, stopping", sourceName,
                    error.getMessage());
            finishInFlight(dispatch, false);
            return;
        }
        if (error instanceof ListenerExecutionFailedException) {
            log.error("Stopping the listener container of source '{}': {}. Batches from the failed one on are "
                    + "rolled back, not acknowledged", sourceName, error.getMessage(), error.getCause());
        } else {
            log.error("Stopping the listener container of source '{}': dispatch failed; batches from the failed "
                    + "one on are rolled back, not acknowledged", sourceName, error);
        }
        finishInFlight(dispatch, true);
        control.fail(error);
    }

    private void finishInFlight(ConcurrentDispatch dispatch, boolean graceful) {
        finishInFlight(dispatch, graceful, null);
    }

    /**
     * Ends the work in flight: lets it finish within the shutdown timeout when {@code graceful} (work after a
     * failure is dropped by the dispatch itself), else drops it at once; acknowledges the batches done in
     * full and rolls back the rest, including {@code polled} (read but never dispatched).
     */
    private void finishInFlight(ConcurrentDispatch dispatch, boolean graceful, ChangeBatch polled) {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        boolean acksWork = !control.failed(); // a failed source acknowledges nothing more
        try {
            while (graceful && acksWork && !dispatch.isQuiet() && !control.abortRequested()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                dispatch.awaitSignal(left);
                acksWork = acknowledgeCompleted(dispatch);
            }
        } catch (InterruptedException e) {
            // the shutdown timeout passed (watchdog)
        }
        Thread.interrupted();
        if (!dispatch.isQuiet()) {
            log.warn("Container of source '{}' stopping: rows in flight did not finish within {}; they are rolled "
                    + "back, not acknowledged", sourceName, settings.shutdownTimeout());
            dispatch.abort();
            awaitQuiet(dispatch, ABORT_GRACE_NANOS);
        }
        if (acksWork && !control.failed()) {
            acknowledgeCompleted(dispatch); // after a listener failure: the batches before the failed one
        }
        List<ConcurrentDispatch.InFlightBatch> left = dispatch.drainUnacked();
        ChangeBatch oldest = !left.isEmpty() ? left.get(0).batch : polled;
        if (oldest != null) {
            control.rollback(oldest); // and everything read after it
        }
        for (ConcurrentDispatch.InFlightBatch batch : left) {
            observer.batchCompleted(sourceName, batch.batch.id(), batch.batch.events().size(),
                    System.nanoTime() - batch.startedNanos, false);
        }
    }

    private static void awaitQuiet(ConcurrentDispatch dispatch, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!dispatch.isQuiet() && System.nanoTime() < deadline) {
            try {
                dispatch.awaitSignal(deadline - System.nanoTime());
            } catch (InterruptedException e) {
                // The shutdown watchdog's abort reaching this thread as well: the workers still get their grace
            }
        }
        Thread.interrupted();
    }
}
