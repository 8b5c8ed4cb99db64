package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.util.backoff.BackOffExecution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Drives one {@link ChangeSource}: poll a batch, hand each event in order to every listener that wants
 * it, acknowledge the batch only when all of them returned normally, then poll the next. With one worker
 * (the default) listeners run on the container's thread or the configured executor, one batch at a time.
 * With {@link ListenerConcurrency#workers()} above 1 a {@link ConcurrentDispatch} spreads rows over that many
 * workers keeping the configured order, several batches are in flight, and the container's thread
 * acknowledges each batch once it and every batch before it are done.
 * <p>
 * The container owns the source's run: it calls {@code start()} when it starts and {@code close()} when
 * it stops (so a source's {@code close()} must tolerate a second call from its bean destruction).
 */
public class CanalListenerContainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CanalListenerContainer.class);

    private final ChangeSource source;
    private final String sourceName;
    private final List<ListenerEndpoint> endpoints;
    /** Events to listeners, with retries and the error handler. */
    private final EventDelivery delivery;
    private final ContainerSettings settings;
    private final ContainerObserver observer;

    private final Object monitor = new Object();
    private final Object dispatchLock = new Object();
    /** The container thread while running; guarded by monitor for writes. */
    private volatile Thread thread;
    private volatile ContainerState state = ContainerState.STOPPED;
    private volatile boolean stopRequested;
    private volatile boolean paused;
    /** Set when the shutdown timeout passed: the in-flight batch is abandoned and rolled back. */
    private volatile boolean abortRequested;
    /** Guarded by monitor for writes: the batch in flight (the oldest unacknowledged one with concurrency). */
    private volatile ChangeBatch inFlight;
    /** Guarded by monitor. */
    private final List<Runnable> stopCallbacks = new ArrayList<>();
    /** The workers while running with concurrency > 1. */
    private volatile ConcurrentDispatch concurrent;
    /** Counted down once the source's start() of the current run returned or threw. */
    private volatile CountDownLatch sourceStartAttempted = new CountDownLatch(0);
    /** Guarded by dispatchLock: the executor thread running the current dispatch. */
    private Thread dispatchThread;
    /**
     * Asked before a batch goes to listeners, before each listener call and before each acknowledgement (high
     * availability: the lease); null when nothing limits delivery.
     */
    private volatile @Nullable BooleanSupplier deliveryPermit;

    private final AtomicLong batchCount = new AtomicLong();
    private final AtomicLong rowsDelivered = new AtomicLong();
    private volatile @Nullable Throwable lastError;
    private volatile SourcePosition lastDeliveredPosition = SourcePosition.UNKNOWN;

    public CanalListenerContainer(ChangeSource source, List<ListenerEndpoint> endpoints, ContainerSettings settings) {
        this.source = source;
        this.sourceName = source.name();
        this.endpoints = List.copyOf(endpoints);
        this.settings = settings;
        this.delivery = new EventDelivery(this.endpoints,
                new RetryingListenerInvoker(sourceName, settings, () -> abortRequested, this::mayDeliverNow));
        this.observer = settings.observer();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the container's thread and returns once the source's {@code start()} returned there (sources bound
     * it by their connect timeout): the source has then fixed its start position (a {@code latest} start is
     * resolved, so anything committed afterwards is delivered), or retries in the background because its
     * server cannot be reached, or failed ({@link #getState()} FAILED, {@link #getLastError()}).
     */
    @Override
    public void start() {
        awaitFailedRunEnded();
        CountDownLatch attempted = new CountDownLatch(1);
        synchronized (monitor) {
            if (thread != null) {
                return;
            }
            stopRequested = false;
            abortRequested = false;
            paused = settings.startPaused();
            lastError = null;
            sourceStartAttempted = attempted;
            setState(ContainerState.STARTING);
            log.info("Source '{}' starts with listeners {}", sourceName, endpoints.stream()
                    .map(e -> e.id() + " " + e.tables()).toList());
            Thread t = new Thread(this::run, "canal-listener-" + sourceName);
            thread = t;
            t.start();
        }
        if (!isContainerOrDispatchThread()) {
            try {
                attempted.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A container is FAILED as soon as it fails, while its thread still closes the source: a start then (a restart
     * right after the failure) waits for that run to end instead of finding the thread still there and doing
     * nothing.
     */
    private void awaitFailedRunEnded() {
        Thread ending;
        synchronized (monitor) {
            ending = thread != null && state == ContainerState.FAILED && thread != Thread.currentThread() ? thread : null;
        }
        if (ending == null) {
            return;
        }
        try {
            ending.join(settings.shutdownTimeout().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the source streams (its start position is fixed), for at most {@code timeout}.
     *
     * @return true when streaming; false when the time passed, or the container failed or is not running
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ContainerState current = state;
            if (source.state() == SourceState.CONNECTED
                    && (current == ContainerState.RUNNING || current == ContainerState.PAUSED)) {
                return true;
            }
            if (current == ContainerState.FAILED || current == ContainerState.STOPPED
                    || current == ContainerState.STOPPING || System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Stops and waits until the container thread ended (at most about the shutdown timeout). Called from
     * a listener, it only requests the stop: waiting there would wait for itself.
     */
    @Override
    public void stop() {
        if (isContainerOrDispatchThread()) {
            stop(() -> {
            });
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        stop(done::countDown);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lets the in-flight batch finish within the shutdown timeout, else interrupts it and rolls it
     * back; then closes the source and runs {@code callback}.
     */
    @Override
    public void stop(Runnable callback) {
        Thread t;
        synchronized (monitor) {
            t = thread;
            if (t != null) {
                stopCallbacks.add(callback);
                if (!stopRequested) {
                    stopRequested = true;
                    if (state != ContainerState.FAILED) { // keep FAILED for health while the thread ends
                        setState(ContainerState.STOPPING);
                    }
                    monitor.notifyAll();
                    if (inFlight == null) {
                        t.interrupt(); // only waiting in poll, pause, start or a poll back-off
                    } else {
                        startShutdownWatchdog(t);
                    }
                }
            }
        }
        if (t == null) {
            callback.run();
        }
    }

    /**
     * Stops without waiting for the in-flight batch: interrupts its listeners and rolls it back (a leader that
     * lost its leadership must not acknowledge anything more). Returns at once; {@code callback} runs once the
     * container thread ended.
     */
    public void stopNow(Runnable callback) {
        Thread run = thread;
        stop(callback);
        if (run != null) {
            abortInFlight(run);
        }
    }

    /**
     * Sets what is asked before each batch is handed to listeners and before each acknowledgement: when it says
     * no, the batch is rolled back and the container stops. High availability uses it for the leader's lease.
     */
    public void setDeliveryPermit(@Nullable BooleanSupplier permit) {
        this.deliveryPermit = permit;
    }

    private boolean mayDeliverNow() {
        BooleanSupplier permit = deliveryPermit;
        return permit == null || permit.getAsBoolean();
    }

    private boolean permitted(ChangeBatch batch, String step) {
        if (mayDeliverNow()) {
            return true;
        }
        log.warn("Source '{}': batch {} (up to {}) not {}: this instance may no longer deliver (its leadership "
                + "lease ran out); rolled back, stopping", sourceName, batch.id(), batch.lastPosition(), step);
        return false;
    }

    private boolean isContainerOrDispatchThread() {
        Thread current = Thread.currentThread();
        if (current == thread) {
            return true;
        }
        ConcurrentDispatch workers = concurrent;
        if (workers != null && workers.isWorkerThread(current)) {
            return true;
        }
        synchronized (dispatchLock) {
            return current == dispatchThread;
        }
    }

    private void startShutdownWatchdog(Thread containerThread) {
        long timeoutMillis = settings.shutdownTimeout().toMillis();
        Thread watchdog = new Thread(() -> {
            try {
                if (timeoutMillis > 0) {
                    containerThread.join(timeoutMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (containerThread.isAlive()) {
                abortInFlight(containerThread);
            }
        }, "canal-listener-stop-" + sourceName);
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * Aborts the work in flight of the run on {@code run}, the container thread it was asked for. A watchdog or a
     * stopNow may come late, after that run ended and a restart began: the new run is not theirs to abort, hence
     * the check under the monitor, which a restart takes too.
     */
    void abortInFlight(Thread run) {
        synchronized (monitor) {
            if (thread != run) {
                return;
            }
            abortRequested = true;
            ConcurrentDispatch workers = concurrent;
            if (workers != null) {
                workers.abort();
            }
            run.interrupt();
            synchronized (dispatchLock) {
                if (dispatchThread != null) {
                    dispatchThread.interrupt();
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean isAutoStartup() {
        return settings.autoStartup();
    }

    /** Stop polling once the in-flight batch is done; the source stays connected. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (monitor) {
            paused = false;
            monitor.notifyAll();
        }
    }

    /** Whether a pause was requested (the state turns PAUSED once the in-flight batch is done). */
    public boolean isPaused() {
        return paused;
    }

    // ---------------------------------------------------------------- what the actuator reads

    public String getSourceName() {
        return sourceName;
    }

    public ChangeSource getSource() {
        return source;
    }

    public ContainerState getState() {
        return state;
    }

    public List<ListenerEndpoint> getEndpoints() {
        return endpoints;
    }

    /** Batches acknowledged since the container was created. */
    public long getBatchCount() {
        return batchCount.get();
    }

    /** Row changes of acknowledged batches that were given to at least one listener. */
    public long getRowsDelivered() {
        return rowsDelivered.get();
    }

    /** The error that put the container in FAILED, or {@code null}. */
    public @Nullable Throwable getLastError() {
        return lastError;
    }

    /** Position of the last event of the last acknowledged non-empty batch. */
    public SourcePosition getLastDeliveredPosition() {
        return lastDeliveredPosition;
    }

    public ContainerSettings getSettings() {
        return settings;
    }

    /** Rows dispatched and not yet done: of the batch in flight, or queued or running on the workers. */
    public long getRowsInFlight() {
        ConcurrentDispatch workers = concurrent;
        if (workers != null) {
            return workers.rowsInFlight();
        }
        ChangeBatch batch = inFlight;
        if (batch == null) {
            return 0;
        }
        long rows = 0; // counted when read (a scrape), not on the delivery path
        for (ChangeEvent event : batch.events()) {
            if (event instanceof RowChange) {
                rows++;
            }
        }
        return rows;
    }

    /** Rows each worker is handling now, per worker (empty unless running with concurrency > 1). */
    public int[] getWorkerQueueDepths() {
        ConcurrentDispatch workers = concurrent;
        return workers == null ? new int[0] : workers.queueDepths();
    }

    // ---------------------------------------------------------------- container thread

    private void run() {
        CountDownLatch attempted = sourceStartAttempted;
        try {
            try {
                source.start();
            } catch (RuntimeException e) {
                if (!stopRequested) {
                    fail(e instanceof SourceException ? e
                            : new SourceException("Source '" + sourceName + "' failed to start", e));
                }
                return;
            }
            setState(paused ? ContainerState.PAUSED : ContainerState.RUNNING);
            attempted.countDown();
            loop();
        } catch (RuntimeException | Error e) {
            // Only a broken observer or source can get here; the container must not end without a trace.
            fail(e);
        } finally {
            attempted.countDown();
            Thread.interrupted(); // our own stop interrupt must not disturb closing
            closeSource();
            List<Runnable> callbacks;
            synchronized (monitor) {
                thread = null;
                if (state != ContainerState.FAILED) {
                    setState(ContainerState.STOPPED);
                }
                callbacks = new ArrayList<>(stopCallbacks);
                stopCallbacks.clear();
            }
            callbacks.forEach(Runnable::run);
        }
    }

    /** Marks the end of the loop where a batch is expected from {@link #pollOnce}. */
    static final ChangeBatch END = new ChangeBatch(-1, List.of());

    private void loop() {
        if (!settings.concurrency().isSerial()) {
            new ConcurrentLoop(sourceName, source, settings, delivery, new Control()).run();
            return;
        }
        SourceRetry sourceRetry = new SourceRetry(settings.sourceRetryPolicy());
        while (awaitNotPaused()) {
            ChangeBatch batch = pollOnce(sourceRetry, settings.pollTimeout());
            if (batch == END) {
                return;
            }
            if (batch == null) {
                continue;
            }
            synchronized (monitor) {
                if (stopRequested) {
                    Thread.interrupted();
                    rollback(batch);
                    return;
                }
                inFlight = batch;
            }
            boolean carryOn;
            try {
                carryOn = process(batch);
            } finally {
                synchronized (monitor) {
                    inFlight = null;
                }
            }
            if (!carryOn) {
                return;
            }
        }
    }

    /**
     * One poll, with the source's retry policy: the batch, null when none came (or after a back-off), or
     * {@link #END} when the container must stop (the failure already recorded).
     */
    private ChangeBatch pollOnce(SourceRetry sourceRetry, Duration timeout) {
        try {
            ChangeBatch batch = source.poll(timeout);
            sourceRetry.succeeded();
            if (batch == null && source.finished()) {
                log.info("Source '{}' has delivered all it will (finished): the container stops", sourceName);
                return END;
            }
            return batch;
        } catch (InterruptedException e) {
            if (!stopRequested) {
                fail(new IllegalStateException("Listener container of source '" + sourceName
                        + "' was interrupted while polling, without a stop request", e));
            }
            return END;
        } catch (SourceException e) {
            if (stopRequested) {
                return END; // the source reacting to our stop interrupt
            }
            long delay = e.isRetryable() ? sourceRetry.failed() : BackOffExecution.STOP;
            if (delay == BackOffExecution.STOP) {
                fail(e);
                return END;
            }
            log.warn("Source '{}' poll failed (attempt {} of {}), polling again in {} ms: {}", sourceName,
                    sourceRetry.failures(), sourceRetry.maxAttempts(), delay, e.getMessage());
            return sleep(delay) ? null : END;
        } catch (RuntimeException e) {
            if (!stopRequested) {
                fail(new SourceException("Source '" + sourceName + "' failed in poll: " + e, e));
            }
            return END;
        }
    }

    /** Waits while paused; false when the container must stop. */
    private boolean awaitNotPaused() {
        synchronized (monitor) {
            try {
                while (paused && !stopRequested) {
                    if (state != ContainerState.PAUSED) {
                        setState(ContainerState.PAUSED);
                    }
                    monitor.wait();
                }
            } catch (InterruptedException e) {
                return false;
            }
            if (stopRequested) {
                return false;
            }
            if (state == ContainerState.PAUSED) {
                setState(ContainerState.RUNNING);
            }
            return true;
        }
    }

    /** Dispatches and acks one batch; false when the container must stop. */
    private boolean process(ChangeBatch batch) {
        int size = batch.events().size();
        long started = System.nanoTime();
        observer.batchStarted(sourceName, batch.id(), size);
        if (!permitted(batch, "delivered")) {
            rollback(batch);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            return false;
        }
        int delivered;
        try {
            delivered = dispatch(batch);
            if (abortRequested) {
                throw new InterruptedException("shutdown timeout passed");
            }
        } catch (InterruptedException e) {
            log.warn("Container of source '{}' stopping: batch {} ({} events, up to {}) did not finish within {}; "
                    + "rolled back, not acknowledged", sourceName, batch.id(), size, batch.lastPosition(),
                    settings.shutdownTimeout());
            Thread.interrupted();
            rollback(batch);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            return false;
        } catch (DeliveryRevokedException e) {
            log.warn("Source '{}': batch {} (up to {}) not delivered in full: this instance may no longer deliver "
                    + "(its leadership lease ran out); rolled back, stopping", sourceName, batch.id(),
                    batch.lastPosition());
            rollback(batch);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            return false;
        } catch (ListenerExecutionFailedException e) {
            log.error("Stopping the listener container of source '{}': {}. Batch {} rolled back, not acknowledged",
                    sourceName, e.getMessage(), batch.id(), e.getCause());
            rollback(batch);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            fail(e);
            return false;
        } catch (RuntimeException | Error e) {
            log.error("Stopping the listener container of source '{}': dispatch of batch {} (up to {}) failed; "
                    + "rolled back, not acknowledged", sourceName, batch.id(), batch.lastPosition(), e);
            rollback(batch);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            fail(e);
            return false;
        }
        if (!permitted(batch, "acknowledged")) {
            rollback(batch);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            return false;
        }
        try {
            source.ack(batch);
        } catch (RuntimeException e) {
            log.error("Source '{}' failed to acknowledge batch {} (up to {})", sourceName, batch.id(),
                    batch.lastPosition(), e);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            fail(e);
            return false;
        }
        acknowledged(batch, delivered, started);
        return true;
    }

    private void acknowledged(ChangeBatch batch, int delivered, long started) {
        int size = batch.events().size();
        batchCount.incrementAndGet();
        rowsDelivered.addAndGet(delivered);
        if (size > 0) {
            lastDeliveredPosition = batch.lastPosition();
        }
        observer.batchAcknowledged(sourceName, batch);
        observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, true);
    }

    /** Delivers the batch here or on the executor, and waits for it. */
    private int dispatch(ChangeBatch batch) throws InterruptedException {
        TaskExecutor executor = settings.executor();
        if (executor == null) {
            return delivery.deliver(batch.events());
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        executor.execute(() -> {
            synchronized (dispatchLock) {
                dispatchThread = Thread.currentThread();
            }
            try {
                result.complete(delivery.deliver(batch.events()));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                synchronized (dispatchLock) {
                    dispatchThread = null;
                    if (abortRequested) {
                        Thread.interrupted(); // do not leak our interrupt into the executor's next task
                    }
                }
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            abortInFlight(Thread.currentThread());
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Dispatch of batch " + batch.id() + " failed", cause);
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void rollback(ChangeBatch batch) {
        try {
            source.rollback(batch);
        } catch (RuntimeException e) {
            log.error("Source '{}' failed to roll back batch {} (up to {})", sourceName, batch.id(),
                    batch.lastPosition(), e);
            if (lastError == null) {
                lastError = e;
            } else if (lastError != e) {
                lastError.addSuppressed(e);
            }
        }
    }

    private void closeSource() {
        try {
            source.close();
        } catch (RuntimeException e) {
            log.warn("Source '{}' failed to close", sourceName, e);
        }
    }

    private void fail(Throwable error) {
        lastError = error;
        if (!(error instanceof ListenerExecutionFailedException)) {
            log.error("Listener container of source '{}' failed: {}", sourceName, error.getMessage(), error);
        }
        observer.containerFailed(sourceName, error);
        setState(ContainerState.FAILED);
    }

    private void setState(ContainerState to) {
        ContainerState from = state;
        if (from != to) {
            state = to;
            log.debug("Listener container of source '{}': {} -> {}", sourceName, from, to);
            observer.stateChanged(sourceName, from, to);
        }
    }

    /** What the {@link ConcurrentLoop} may see and do of this container. */
    private final class Control implements ConcurrentLoop.Control {

        @Override
        public boolean stopRequested() {
            return stopRequested;
        }

        @Override
        public boolean paused() {
            return paused;
        }

        @Override
        public boolean abortRequested() {
            return abortRequested;
        }

        @Override
        public boolean failed() {
            return state == ContainerState.FAILED;
        }

        @Override
        public boolean awaitNotPaused() {
            return CanalListenerContainer.this.awaitNotPaused();
        }

        @Override
        public ChangeBatch poll(SourceRetry sourceRetry, Duration timeout) {
            return pollOnce(sourceRetry, timeout);
        }

        @Override
        public boolean claim(ChangeBatch batch) {
            if (!permitted(batch, "delivered")) {
                return false;
            }
            synchronized (monitor) {
                if (stopRequested) {
                    return false;
                }
                if (inFlight == null) {
                    inFlight = batch;
                }
                return true;
            }
        }

        @Override
        public void oldestInFlight(ChangeBatch batch) {
            synchronized (monitor) {
                inFlight = batch;
            }
        }

        @Override
        public void running(ConcurrentDispatch dispatch) {
            concurrent = dispatch;
        }

        @Override
        public void acknowledged(ChangeBatch batch, int delivered, long startedNanos) {
            CanalListenerContainer.this.acknowledged(batch, delivered, startedNanos);
        }

        @Override
        public void rollback(ChangeBatch batch) {
            CanalListenerContainer.this.rollback(batch);
        }

        @Override
        public void fail(Throwable error) {
            CanalListenerContainer.this.fail(error);
        }
    }

    @Override
    public String toString() {
        return "CanalListenerContainer[source=" + sourceName + ", state=" + state + ", endpoints=" + endpoints.size() + "]";
    }
}
