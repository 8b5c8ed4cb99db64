package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records what the listener containers delivered: every change a {@code @CanalListener} returned normally for,
 * and every failed attempt. As a bean it is one of the containers' {@link ContainerObserver}s (an application
 * that defines its own {@code ContainerSettings} bean must add it to that bean's observer itself).
 * {@code @EmbeddedCdcDatabase} and {@code @CanalListenerTest} register one; elsewhere
 * {@code @Import(ChangeRecorder.class)}.
 * <p>
 * The {@code await} methods return what they waited for, for AssertJ to check further; when time runs out they
 * fail with an {@link AssertionError} listing what did arrive and which listener calls failed.
 */
public class ChangeRecorder implements ContainerObserver {

    /** Waiting time of the methods without a timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** One change a listener returned normally for. */
    public record Delivery(String source, String listener, ChangeEvent event) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final Set<ChangeEvent> delivered = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<RowChange> rowChanges = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    @Override
    public ListenerScope listenerStarting(String source, ListenerEndpoint endpoint, @Nullable ChangeEvent event,
                                          @Nullable List<RowChange> rows) {
        return error -> {
            if (error == null) {
                record(source, endpoint.id(), event != null ? List.of(event) : rows);
            }
        };
    }

    @Override
    public void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
        synchronized (this) {
            failures.add("listener '" + endpointId + "' of source '" + source + "', attempt " + attempt + ": " + error);
            notifyAll();
        }
    }

    private synchronized void record(String source, String listener, List<? extends ChangeEvent> events) {
        for (ChangeEvent event : events) {
            deliveries.add(new Delivery(source, listener, event));
            // A change given to several listeners counts once.
            if (delivered.add(event) && event instanceof RowChange row) {
                rowChanges.add(row);
            }
        }
        notifyAll();
    }

    /** Every row change delivered to at least one listener, in delivery order. */
    public synchronized List<RowChange> rowChanges() {
        return List.copyOf(rowChanges);
    }

    /** Every (listener, change) pair, in delivery order. */
    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The changes the listener with this id (see {@code @CanalListener(id = ...)}) returned normally for. */
    public synchronized List<ChangeEvent> deliveredTo(String listenerId) {
        return deliveries.stream().filter(d -> d.listener().equals(listenerId)).map(Delivery::event).toList();
    }

    /** Failed listener calls, one line each (retried or not). */
    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** Forgets everything recorded so far (e.g. between tests sharing a context). */
    public synchronized void clear() {
        deliveries.clear();
        delivered.clear();
        rowChanges.clear();
        failures.clear();
    }

    public RowChange awaitRowChange(RowChangeCondition condition) {
        return awaitRowChanges(condition, 1, DEFAULT_TIMEOUT).get(0);
    }

    public RowChange awaitRowChange(RowChangeCondition condition, Duration timeout) {
        return awaitRowChanges(condition, 1, timeout).get(0);
    }

    public List<RowChange> awaitRowChanges(RowChangeCondition condition, int count) {
        return awaitRowChanges(condition, count, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until at least {@code count} delivered row changes match {@code condition}; returns the first
     * {@code count} of them in delivery order.
     *
     * @throws AssertionError when fewer arrived within {@code timeout}, listing all that did
     */
    public synchronized List<RowChange> awaitRowChanges(RowChangeCondition condition, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RowChange> matching = rowChanges.stream().filter(condition).toList();
            if (matching.size() >= count) {
                return matching.subList(0, count);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(describeTimeout(condition, count, timeout, matching.size()));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + count + " x " + condition, e);
            }
        }
    }

    private String describeTimeout(RowChangeCondition condition, int count, Duration timeout, int matched) {
        StringBuilder sb = new StringBuilder("Expected ").append(count).append(" x ").append(condition)
                .append(" delivered to listeners within ").append(timeout.toMillis()).append(" ms, but ")
                .append(matched).append(" matched.");
        sb.append("\nRow changes delivered (").append(rowChanges.size()).append("):");
        if (rowChanges.isEmpty()) {
            sb.append(" none");
        }
        for (RowChange change : rowChanges) {
            sb.append("\n  ").append(change);
        }
        sb.append("\nFailed listener calls (").append(failures.size()).append("):");
        if (failures.isEmpty()) {
            sb.append(" none");
        }
        for (String failure : failures) {
            sb.append("\n  ").append(failure);
        }
        return sb.toString();
    }

    @Override
    public synchronized String toString() {
        return "ChangeRecorder[" + rowChanges.size() + " row changes, listeners "
                + deliveries.stream().map(Delivery::listener).collect(Collectors.toCollection(TreeSet::new))
                + ", " + failures.size() + " failures]";
    }
}
