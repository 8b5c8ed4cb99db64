package dev.canalboot.snapshot;

import dev.canalboot.listener.container.TablePattern;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a binlog source snapshots.
 *
 * @param mode       when it snapshots
 * @param tables     table patterns as in {@code @CanalListener} ({@code schema.table}, {@code schema.*},
 *                   {@code regex:...}); the snapshot reads every existing table one of them matches. Empty: the
 *                   patterns of the source's listeners
 * @param chunkSize  rows per chunk: one {@code SELECT} and the most rows held in memory at once
 * @param keyColumns {@code schema.table} → the columns to chunk by, for a table whose primary key is absent or
 *                   not the one to use (they must form a unique key of NOT NULL columns)
 */
public record SnapshotSettings(SnapshotMode mode, List<String> tables, int chunkSize,
                               Map<String, List<String>> keyColumns) {

    public static final int DEFAULT_CHUNK_SIZE = 8192;

    public SnapshotSettings {
        Objects.requireNonNull(mode, "mode");
        tables = tables == null ? List.of() : List.copyOf(tables);
        keyColumns = keyColumns == null ? Map.of() : Map.copyOf(keyColumns);
        if (chunkSize < 1) {
            throw new IllegalArgumentException("snapshot.chunk-size must be at least 1, not " + chunkSize);
        }
        for (String t : tables) {
            TablePattern.parse(t); // a malformed pattern fails at start-up, naming itself
        }
    }

    public static SnapshotSettings never() {
        return new SnapshotSettings(SnapshotMode.NEVER, List.of(), DEFAULT_CHUNK_SIZE, Map.of());
    }
}
