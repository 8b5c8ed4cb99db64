package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;

import java.util.List;

/**
 * A listener failed on every attempt for some events.
 *
 * @param source   the source name
 * @param endpoint the failing listener
 * @param events   what it was given: one event, or the rows of a batch listener call
 * @param error    the last exception thrown
 * @param attempts how many attempts were made
 */
public record ListenerFailure(String source, ListenerEndpoint endpoint, List<ChangeEvent> events, Throwable error,
                              int attempts) {

    public ListenerFailure {
        events = List.copyOf(events);
    }

    /** Position of the first event given to the listener. */
    public SourcePosition position() {
        return events.isEmpty() ? SourcePosition.UNKNOWN : events.get(0).position();
    }

    /** {@code schema.table} of the first event, or {@code -} when it names none. */
    public String table() {
        if (events.isEmpty()) {
            return "-";
        }
        ChangeEvent first = events.get(0);
        if (first instanceof RowChange row) {
            return row.qualifiedTable();
        }
        if (first instanceof SchemaChange ddl && ddl.schema() != null) {
            return ddl.schema() + (ddl.table() == null ? "" : "." + ddl.table());
        }
        return "-";
    }

    /** One line for logs and exception messages: listener, table, position, attempts, error. */
    public String describe() {
        // The id defaults to bean#method: then naming the method again would print it twice.
        String method = endpoint.listener().equals(endpoint.id()) ? "" : " (" + endpoint.listener() + ")";
        return "listener '" + endpoint.id() + "'" + method + " of source '" + source + "' failed on "
                + table() + " at " + position()
                + (events.size() > 1 ? " (" + events.size() + " events)" : "")
                + " after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + error;
    }
}
