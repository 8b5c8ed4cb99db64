package dev.canalboot.source;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * What a source tells about its connection beyond {@link ChangeSource#state()}: counters for metrics,
 * and the heartbeat that lets an idle source report no lag. Every {@link ChangeSource} offers it through
 * {@link ChangeSource#statistics()} (metrics, health and the actuator endpoint read it there). Every method may be
 * called from any thread and must be cheap.
 */
public interface SourceStatistics {

    /** The server this source reads from, as {@code host:port} (never credentials); {@code null} if unknown. */
    default @Nullable String server() {
        return null;
    }

    /** Bytes read from the server since the source was created; {@code -1} if not counted. */
    default long bytesRead() {
        return -1;
    }

    /** How often the source reconnected after losing its connection; {@code -1} if not counted. */
    default long reconnects() {
        return -1;
    }

    /** Events read but not emitted (filtered tables, unsupported event types); {@code -1} if not counted. */
    default long eventsSkipped() {
        return -1;
    }

    /** Commit timestamp of the last event read from the server (delivered or not); {@code null} if none yet. */
    default @Nullable Instant lastEventTimestamp() {
        return null;
    }

    /**
     * When the source last learned that the server had nothing newer to send (a binlog heartbeat, an
     * empty fetch), by the local clock; {@code null} if never.
     */
    default @Nullable Instant lastHeartbeat() {
        return null;
    }

    /**
     * Why the server is taken to have stopped delivering although its database moves on (it answers, but only
     * with nothing, as an idle server does); {@code null} when it delivers or the source cannot tell.
     */
    default @Nullable String stalled() {
        return null;
    }

    /**
     * What else this kind of source knows about its progress (e.g. a Kafka source's offsets and lag per partition),
     * shown by health and the {@code canal} endpoint; plain values, lists and maps only. Empty by default.
     */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** A source that counts nothing. */
    SourceStatistics NONE = new SourceStatistics() {
    };
}
