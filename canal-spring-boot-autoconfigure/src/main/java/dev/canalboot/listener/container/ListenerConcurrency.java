package dev.canalboot.listener.container;

/**
 * How many rows of one source are handled at once, and what order is kept between them.
 *
 * @param workers     rows handled at once; 1 is the direct path: one batch at a time, every event in binlog order
 * @param ordering    what stays in binlog order when {@code workers > 1}
 * @param maxInFlight batches dispatched and not yet acknowledged at most, when {@code workers > 1}; the
 *                    container stops polling while this many are in flight
 */
public record ListenerConcurrency(int workers, Ordering ordering, int maxInFlight) {

    /** One row at a time, in binlog order: the direct path. */
    public static final ListenerConcurrency SERIAL = new ListenerConcurrency(1, Ordering.KEY, 16);

    public ListenerConcurrency {
        if (workers < 1) {
            throw new IllegalArgumentException("Listener concurrency must be at least 1, was " + workers);
        }
        if (ordering == null) {
            throw new IllegalArgumentException("Listener ordering must be key, table or none");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("Listener max-in-flight must be at least 1, was " + maxInFlight);
        }
    }

    public ListenerConcurrency withWorkers(int value) {
        return new ListenerConcurrency(value, ordering, maxInFlight);
    }

    public boolean isSerial() {
        return workers == 1;
    }

    /** What the rows of one source keep of their binlog order when several are handled at once. */
    public enum Ordering {
        /**
         * Rows of one table with the same primary-key value are handled in binlog order and never two at once;
         * an UPDATE that changes the key is ordered against both its old and its new key. A table without a
         * primary key is ordered as {@link #TABLE}.
         */
        KEY,
        /** The rows of one table are handled in binlog order, one at a time. */
        TABLE,
        /** No order between rows; only acknowledgement stays in order. */
        NONE
    }
}
