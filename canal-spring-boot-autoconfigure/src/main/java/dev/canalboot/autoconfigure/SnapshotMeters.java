package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.snapshot.SnapshotStatus;
import dev.canalboot.source.ChangeSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of the binlog sources' snapshots (the running one, else the last one of this process): per source
 * {@code canal.snapshot.tables}, {@code .tables.done}, {@code .rows}, {@code .chunks} and {@code .running}; per table
 * (for the first {@code canal.metrics.max-tables} tables a source snapshots) {@code canal.snapshot.table.rows},
 * {@code .rows.estimated} and {@code .chunks}. They read the source's current status at each scrape, so a later
 * snapshot of the same table moves the same gauges.
 */
class SnapshotMeters implements SmartInitializingSingleton {

    private final MeterRegistry registry;
    private final ObjectProvider<ChangeSource> sources;
    private final int maxTables;

    SnapshotMeters(MeterRegistry registry, ObjectProvider<ChangeSource> sources, int maxTables) {
        this.registry = registry;
        this.sources = sources;
        this.maxTables = maxTables;
    }

    @Override
    public void afterSingletonsInstantiated() {
        sources.orderedStream().filter(BinlogChangeSource.class::isInstance).map(BinlogChangeSource.class::cast)
                .forEach(this::bind);
    }

    private void bind(BinlogChangeSource source) {
        source(source, "canal.snapshot.tables", "Tables the snapshot reads", s -> s.planned().size());
        source(source, "canal.snapshot.tables.done", "Tables the snapshot has read to their end", SnapshotStatus::tablesDone);
        source(source, "canal.snapshot.rows", "Rows the snapshot has read (resumed tables: with earlier runs')",
                SnapshotStatus::rowsDone);
        source(source, "canal.snapshot.chunks", "Chunks the snapshot has read in this run", SnapshotStatus::chunks);
        source(source, "canal.snapshot.running", "1 while a snapshot runs, else 0",
                s -> "RUNNING".equals(s.state()) ? 1 : 0);
        Set<String> tables = ConcurrentHashMap.newKeySet();
        source.onSnapshotStart(status -> {
            for (String table : status.planned()) {
                if (tables.contains(table) || tables.size() >= maxTables) {
                    continue;
                }
                tables.add(table);
                table(source, table, "canal.snapshot.table.rows", "Rows of the table the snapshot has read",
                        SnapshotStatus.Table::rowsDone);
                table(source, table, "canal.snapshot.table.rows.estimated",
                        "The server's estimate of the table's rows (information_schema.TABLES)",
                        SnapshotStatus.Table::estimatedRows);
                table(source, table, "canal.snapshot.table.chunks", "Chunks of the table read in this run",
                        SnapshotStatus.Table::chunks);
            }
        });
    }

    /** A gauge of the source's current snapshot; 0 before its first one. */
    private void source(BinlogChangeSource source, String name, String description,
                        ToDoubleFunction<SnapshotStatus> value) {
        Gauge.builder(name, source, s -> {
                    SnapshotStatus status = s.snapshotStatus();
                    return status == null ? 0 : value.applyAsDouble(status);
                })
                .tag("source", source.name())
                .description(description)
                .register(registry);
    }

    /** A gauge of one table in the source's current snapshot: 0 before it starts, NaN when that snapshot skips it. */
    private void table(BinlogChangeSource source, String table, String name, String description,
                       ToDoubleFunction<SnapshotStatus.Table> value) {
        Gauge.builder(name, source, s -> {
                    SnapshotStatus status = s.snapshotStatus();
                    if (status == null || !status.planned().contains(table)) {
                        return Double.NaN;
                    }
                    SnapshotStatus.Table t = status.table(table);
                    return t == null ? 0 : value.applyAsDouble(t);
                })
                .tags("source", source.name(), "table", table)
                .description(description)
                .register(registry);
    }
}
