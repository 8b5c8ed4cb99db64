package dev.canalboot.binlog;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/** Cheap counters of a {@link BinlogChangeSource}, read from any thread. */
public final class BinlogSourceMetrics {

    final LongAdder bytesRead = new LongAdder();
    final LongAdder events = new LongAdder();
    final LongAdder eventsSkipped = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder batches = new LongAdder();
    volatile Instant lastEventTimestamp;
    volatile Instant lastHeartbeat;

    /** Binlog network payload bytes received. */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Model events handed over in batches (row changes, schema changes, transaction boundaries). */
    public long events() {
        return events.sum();
    }

    /** Binlog events of types the decoder ignores. */
    public long eventsSkipped() {
        return eventsSkipped.sum();
    }

    /** Connections opened again after the first (connection loss, read timeout, rollback). */
    public long reconnects() {
        return reconnects.sum();
    }

    public long batches() {
        return batches.sum();
    }

    /** Commit time on the server of the last change handed over in a batch, or null. */
    public Instant lastEventTimestamp() {
        return lastEventTimestamp;
    }

    /** When the last heartbeat arrived (local clock), or null. */
    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }
}
