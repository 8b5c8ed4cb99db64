package dev.canalboot.source;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The counters every source keeps, as its {@link SourceStatistics}: the source's threads count, metrics, health
 * and the actuator endpoint read ({@link ChangeSource#statistics()}). Cheap and safe from any thread.
 */
public final class SourceCounters implements SourceStatistics {

    private final Supplier<@Nullable String> server;
    private final Supplier<@Nullable String> stalled;
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder eventsSkipped = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder batches = new LongAdder();
    /** Epoch millis; 0 while none. */
    private volatile long lastEventMillis;
    private volatile long lastHeartbeatMillis;

    /** @param server the server read from, as {@link SourceStatistics#server()} says it */
    public SourceCounters(Supplier<@Nullable String> server) {
        this(server, () -> null);
    }

    /** @param stalled why the server is taken to have stopped delivering, or null (see {@link #stalled()}) */
    public SourceCounters(Supplier<@Nullable String> server, Supplier<@Nullable String> stalled) {
        this.server = server;
        this.stalled = stalled;
    }

    public void bytesRead(long bytes) {
        bytesRead.add(bytes);
    }

    /** Model events handed over in a batch. */
    public void eventsHandedOver(long count) {
        events.add(count);
    }

    public void eventSkipped() {
        eventsSkipped.increment();
    }

    /** A reconnection attempt begins (after a lost connection, a failed start or a rollback that reconnects). */
    public void reconnecting() {
        reconnects.increment();
    }

    /** A batch was handed to the container (redeliveries count again). */
    public void batchHandedOver() {
        batches.increment();
    }

    /** The commit time of the newest event read from the server; ignored when {@code null} or not positive. */
    public void lastEventAt(@Nullable Instant timestamp) {
        if (timestamp != null && timestamp.toEpochMilli() > 0) {
            lastEventMillis = timestamp.toEpochMilli();
        }
    }

    /** The server had nothing newer to send (a heartbeat, an empty fetch), now by the local clock. */
    public void heartbeat() {
        lastHeartbeatMillis = System.currentTimeMillis();
    }

    @Override
    public @Nullable String server() {
        return server.get();
    }

    @Override
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Model events handed over in batches (row changes, schema changes, transaction boundaries). */
    public long events() {
        return events.sum();
    }

    @Override
    public long eventsSkipped() {
        return eventsSkipped.sum();
    }

    @Override
    public long reconnects() {
        return reconnects.sum();
    }

    /** Non-empty batches handed to the container (redeliveries count again). */
    public long batches() {
        return batches.sum();
    }

    @Override
    public @Nullable Instant lastEventTimestamp() {
        long millis = lastEventMillis;
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public @Nullable Instant lastHeartbeat() {
        long millis = lastHeartbeatMillis;
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public @Nullable String stalled() {
        return stalled.get();
    }
}
