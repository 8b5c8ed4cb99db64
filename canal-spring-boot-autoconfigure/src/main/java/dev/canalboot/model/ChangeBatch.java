package dev.canalboot.model;

import java.util.List;

/**
 * A unit of fetch → dispatch → ack: events in binlog order. A source acknowledges (Canal ack,
 * checkpoint commit) a batch only after every listener returned for all its events.
 *
 * @param id     source-assigned id, increasing; what {@code ack}/{@code rollback} refer to
 * @param events events in order (may be empty: a batch can carry only a position, e.g. heartbeats)
 */
public record ChangeBatch(long id, List<ChangeEvent> events) {

    public ChangeBatch {
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** The position of the last event, or {@link SourcePosition#UNKNOWN} for an empty batch. */
    public SourcePosition lastPosition() {
        return events.isEmpty() ? SourcePosition.UNKNOWN : events.get(events.size() - 1).position();
    }
}
