package dev.canalboot.actuate;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceMetrics;

import java.time.Instant;

/** The counters of a {@link BinlogChangeSource}. */
final class BinlogSourceStatistics implements SourceStatistics {

    static final SourceStatisticsResolver RESOLVER =
            source -> source instanceof BinlogChangeSource binlog ? new BinlogSourceStatistics(binlog) : null;

    private final BinlogChangeSource source;
    private final BinlogSourceMetrics metrics;

    private BinlogSourceStatistics(BinlogChangeSource source) {
        this.source = source;
        this.metrics = source.metrics();
    }

    @Override
    public String server() {
        return source.settings().connection().address();
    }

    @Override
    public long bytesRead() {
        return metrics.bytesRead();
    }

    @Override
    public long reconnects() {
        return metrics.reconnects();
    }

    @Override
    public long eventsSkipped() {
        return metrics.eventsSkipped();
    }

    @Override
    public Instant lastEventTimestamp() {
        return metrics.lastEventTimestamp();
    }

    @Override
    public Instant lastHeartbeat() {
        return metrics.lastHeartbeat();
    }
}
