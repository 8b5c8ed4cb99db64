package dev.canalboot.actuate;

import dev.canalboot.canal.CanalChangeSource;

import java.time.Instant;

/** The counters of a {@link CanalChangeSource}; its heartbeat is the last empty fetch. */
final class CanalSourceStatistics implements SourceStatistics {

    static final SourceStatisticsResolver RESOLVER =
            source -> source instanceof CanalChangeSource canal ? new CanalSourceStatistics(canal) : null;

    private final CanalChangeSource source;

    private CanalSourceStatistics(CanalChangeSource source) {
        this.source = source;
    }

    @Override
    public String server() {
        return String.join(",", source.settings().addresses()) + "/" + source.settings().destination();
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    public long reconnects() {
        return source.reconnects();
    }

    @Override
    public Instant lastEventTimestamp() {
        return instant(source.lastEntryTimestamp());
    }

    @Override
    public Instant lastHeartbeat() {
        return instant(source.lastIdleFetchMillis());
    }

    @Override
    public String stalled() {
        return source.stalled();
    }

    private static Instant instant(long epochMillis) {
        return epochMillis <= 0 ? null : Instant.ofEpochMilli(epochMillis);
    }
}
