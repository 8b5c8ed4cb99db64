package dev.canalboot.actuate;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import io.micrometer.observation.Observation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What an observation of one listener call knows. */
public class CanalListenerObservationContext extends Observation.Context {

    private final String source;
    private final ListenerEndpoint endpoint;
    private final @Nullable ChangeEvent event;
    private final @Nullable List<RowChange> rows;

    /**
     * @param event the event of an event listener call, else {@code null}
     * @param rows  the rows of a batch listener call, else {@code null}
     */
    public CanalListenerObservationContext(String source, ListenerEndpoint endpoint, @Nullable ChangeEvent event,
                                           @Nullable List<RowChange> rows) {
        this.source = source;
        this.endpoint = endpoint;
        this.event = event;
        this.rows = rows;
    }

    public String getSource() {
        return source;
    }

    public ListenerEndpoint getEndpoint() {
        return endpoint;
    }

    /** The delivered event, or {@code null} for a batch listener. */
    public @Nullable ChangeEvent getEvent() {
        return event;
    }

    /** The delivered rows of a batch listener, or {@code null}. */
    public @Nullable List<RowChange> getRows() {
        return rows;
    }

    /** The event, or the first row of a batch. */
    public @Nullable ChangeEvent firstEvent() {
        return event != null ? event : rows == null || rows.isEmpty() ? null : rows.get(0);
    }
}
