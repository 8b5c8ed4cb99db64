package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands a run of events, in order, to every listener that wants them: each event to the event listeners in
 * declaration order, then the matching rows of the whole run to each batch listener. The run is a whole batch
 * on the direct path, or one worker's share of it with concurrency.
 */
final class EventDelivery {

    /** Listeners called once per event, in declaration order. */
    private final ListenerEndpoint[] eventEndpoints;
    /** Listeners called once per run with its matching rows, after the event listeners. */
    private final ListenerEndpoint[] batchEndpoints;
    private final RetryingListenerInvoker invoker;

    EventDelivery(List<ListenerEndpoint> endpoints, RetryingListenerInvoker invoker) {
        this.eventEndpoints = endpoints.stream()
                .filter(e -> e.kind() != EndpointInvoker.Kind.ROW_BATCH).toArray(ListenerEndpoint[]::new);
        this.batchEndpoints = endpoints.stream()
                .filter(e -> e.kind() == EndpointInvoker.Kind.ROW_BATCH).toArray(ListenerEndpoint[]::new);
        this.invoker = invoker;
    }

    /** Whether any listener wants {@code event}. */
    boolean wanted(ChangeEvent event) {
        for (ListenerEndpoint endpoint : eventEndpoints) {
            if (endpoint.accepts(event)) {
                return true;
            }
        }
        for (ListenerEndpoint endpoint : batchEndpoints) {
            if (endpoint.accepts(event)) {
                return true;
            }
        }
        return false;
    }

    /** Every event to every listener that wants it, in order; returns how many rows were delivered. */
    int deliver(List<ChangeEvent> events) throws InterruptedException {
        List<RowChange>[] batchRows = null;
        int delivered = 0;
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            boolean matched = false;
            for (ListenerEndpoint endpoint : eventEndpoints) {
                if (endpoint.accepts(event)) {
                    invoker.invoke(endpoint, event, null);
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
                    invoker.invoke(batchEndpoints[b], null, batchRows[b]);
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
}
