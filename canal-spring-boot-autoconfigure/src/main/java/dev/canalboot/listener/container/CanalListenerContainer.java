package dev.canalboot.listener.container;

import dev.canalboot.listener.ListenerEndpoint;
import dev.canalboot.listener.invoke.EndpointInvoker;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives one {@link ChangeSource}: poll a batch, hand each event in order to every listener that wants
 * it, acknowledge the batch only when all of them returned normally, then poll the next. One thread per
 * container; listeners run on it or on the configured executor, one batch at a time.
 * <p>
 * The container owns the source's run: it calls {@code start()} when it starts and {@code close()} when
 * it stops (so a source's {@code close()} must tolerate a second call from its bean destruction).
 */
public class CanalListenerContainer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CanalListenerContainer.class);

    private final ChangeSource source;
    private final String sourceName;
    private final List<ListenerEndpoint> endpoints;
    /** Listeners called once per event, in declaration order. */
    private final ListenerEndpoint[] eventEndpoints;
    /** Listeners called once per batch with its matching rows, after the event listeners. */
    private final ListenerEndpoint[] batchEndpoints;
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
    /** Guarded by monitor. */
    private ChangeBatch inFlight;
    /** Guarded by monitor. */
    private final List<Runnable> stopCallbacks = new ArrayList<>();
    /** Counted down once the source's start() of the current run returned or threw. */
    private volatile CountDownLatch sourceStartAttempted = new CountDownLatch(0);
    /** Guarded by dispatchLock: the executor thread running the current dispatch. */
    private Thread dispatchThread;

    private final AtomicLong batchCount = new AtomicLong();
    private final AtomicLong rowsDelivered = new AtomicLong();
    private volatile Throwable lastError;
    private volatile SourcePosition lastDeliveredPosition = SourcePosition.UNKNOWN;

    public CanalListenerContainer(ChangeSource source, List<ListenerEndpoint> endpoints, ContainerSettings settings) {
        this.source = source;
        this.sourceName = source.name();
        this.endpoints = List.copyOf(endpoints);
        this.eventEndpoints = this.endpoints.stream()
                .filter(e -> e.kind() != EndpointInvoker.Kind.ROW_BATCH).toArray(ListenerEndpoint[]::new);
        this.batchEndpoints = this.endpoints.stream()
                .filter(e -> e.kind() == EndpointInvoker.Kind.ROW_BATCH).toArray(ListenerEndpoint[]::new);
        this.settings = settings;
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

    private boolean isContainerOrDispatchThread() {
        Thread current = Thread.currentThread();
        if (current == thread) {
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
                abortInFlight();
            }
        }, "canal-listener-stop-" + sourceName);
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void abortInFlight() {
        abortRequested = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        synchronized (dispatchLock) {
            if (dispatchThread != null) {
                dispatchThread.interrupt();
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
    public Throwable getLastError() {
        return lastError;
    }

    /** Position of the last event of the last acknowledged non-empty batch. */
    public SourcePosition getLastDeliveredPosition() {
        return lastDeliveredPosition;
    }

    public ContainerSettings getSettings() {
        return settings;
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

    private void loop() {
        int pollFailures = 0;
        while (awaitNotPaused()) {
            ChangeBatch batch;
            try {
                batch = source.poll(settings.pollTimeout());
                pollFailures = 0;
            } catch (InterruptedException e) {
                if (!stopRequested) {
                    fail(new IllegalStateException("Listener container of source '" + sourceName
                            + "' was interrupted while polling, without a stop request", e));
                }
                return;
            } catch (SourceException e) {
                if (stopRequested) {
                    return; // the source reacting to our stop interrupt
                }
                pollFailures++;
                RetryPolicy policy = settings.retryPolicy();
                if (!e.isRetryable() || pollFailures >= policy.maxAttempts()) {
                    fail(e);
                    return;
                }
                long delay = policy.delayMillisAfter(pollFailures);
                log.warn("Source '{}' poll failed (attempt {} of {}), polling again in {} ms: {}", sourceName,
                        pollFailures, policy.maxAttempts(), delay, e.getMessage());
                if (!sleep(delay)) {
                    return;
                }
                continue;
            } catch (RuntimeException e) {
                if (!stopRequested) {
                    fail(new SourceException("Source '" + sourceName + "' failed in poll: " + e, e));
                }
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
        try {
            source.ack(batch);
        } catch (RuntimeException e) {
            log.error("Source '{}' failed to acknowledge batch {} (up to {})", sourceName, batch.id(),
                    batch.lastPosition(), e);
            observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, false);
            fail(e);
            return false;
        }
        batchCount.incrementAndGet();
        rowsDelivered.addAndGet(delivered);
        if (size > 0) {
            lastDeliveredPosition = batch.lastPosition();
        }
        observer.batchAcknowledged(sourceName, batch);
        observer.batchCompleted(sourceName, batch.id(), size, System.nanoTime() - started, true);
        return true;
    }

    /** Runs {@link #deliverAll} here or on the executor, and waits for it. */
    private int dispatch(ChangeBatch batch) throws InterruptedException {
        TaskExecutor executor = settings.executor();
        if (executor == null) {
            return deliverAll(batch);
        }
        CompletableFuture<Integer> result = new CompletableFuture<>();
        executor.execute(() -> {
            synchronized (dispatchLock) {
                dispatchThread = Thread.currentThread();
            }
            try {
                result.complete(deliverAll(batch));
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
            abortInFlight();
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

    /** Every event to every listener that wants it, in order; returns how many rows were delivered. */
    private int deliverAll(ChangeBatch batch) throws InterruptedException {
        List<ChangeEvent> events = batch.events();
        List<RowChange>[] batchRows = null;
        int delivered = 0;
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            boolean matched = false;
            for (ListenerEndpoint endpoint : eventEndpoints) {
                if (endpoint.accepts(event)) {
                    deliver(endpoint, event, null);
                    matched = true;
                }
            }
            for (int b = 0; b < batchEndpoints.length; b++) {
                if (batchEndpoints[b].accepts(event)) {
                    if (batchRows == null) {
                        batchRows = newRowLists(batchEndpoints.length);
                    }
                    batchRows[b].add((RowChange) event);
                    matched = true;
                }
            }
            if (matched && event instanceof RowChange) {
                delivered++;
            }
        }
        if (batchRows != null) {
            for (int b = 0; b < batchEndpoints.length; b++) {
                if (!batchRows[b].isEmpty()) {
                    deliver(batchEndpoints[b], null, batchRows[b]);
                }
            }
        }
        return delivered;
    }

    @SuppressWarnings("unchecked")
    private static List<RowChange>[] newRowLists(int count) {
        List<RowChange>[] lists = new List[count];
        for (int i = 0; i < count; i++) {
            lists[i] = new ArrayList<>();
        }
        return lists;
    }

    /** One listener call with retries; then the error handler. {@code rows} is set for batch listeners. */
    private void deliver(ListenerEndpoint endpoint, ChangeEvent event, List<RowChange> rows) throws InterruptedException {
        RetryPolicy policy = settings.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            if (abortRequested) {
                throw new InterruptedException("shutdown timeout passed");
            }
            long started = System.nanoTime();
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
                        System.nanoTime() - started);
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (abortRequested) {
                    throw new InterruptedException("shutdown timeout passed while " + endpoint.id() + " ran");
                }
                observer.listenerFailed(sourceName, endpoint.id(), attempt, e);
                if (attempt >= policy.maxAttempts()) {
                    exhausted(endpoint, rows == null ? List.of(event) : List.copyOf(rows), e, attempt);
                    return;
                }
                long delay = policy.delayMillisAfter(attempt);
                log.warn("Listener '{}' failed on {} at {} (attempt {} of {}), retrying in {} ms: {}", endpoint.id(),
                        describeTable(rows == null ? event : rows.get(0)),
                        (rows == null ? event : rows.get(0)).position(), attempt, policy.maxAttempts(), delay,
                        e.toString());
                observer.retryScheduled(sourceName, endpoint.id(), attempt + 1, delay);
                if (delay > 0) {
                    Thread.sleep(delay);
                }
            }
        }
    }

    private void exhausted(ListenerEndpoint endpoint, List<ChangeEvent> events, Exception error, int attempts) {
        ListenerFailure failure = new ListenerFailure(sourceName, endpoint, events, error, attempts);
        ListenerErrorHandler.Action action;
        try {
            action = settings.errorHandler().handle(failure);
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

    @Override
    public String toString() {
        return "CanalListenerContainer[source=" + sourceName + ", state=" + state + ", endpoints=" + endpoints.size() + "]";
    }
}
