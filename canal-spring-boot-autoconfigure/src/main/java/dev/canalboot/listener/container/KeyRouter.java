package dev.canalboot.listener.container;

import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the worker of each row so that what must stay in order lands on one worker, whose queue keeps
 * binlog order: the same table and primary-key value ({@link Ordering#KEY}), the same table
 * ({@link Ordering#TABLE}), or any worker in turn ({@link Ordering#NONE}). Used by the dispatching thread only.
 */
final class KeyRouter {

    private static final Logger log = LoggerFactory.getLogger(KeyRouter.class);
    private static final int[] NO_KEY = new int[0];

    private final int workers;
    private final Ordering ordering;
    private final String sourceName;
    /** Primary-key column indexes per table version ({@link TableSchema} instances are shared by its rows). */
    private final Map<TableSchema, int[]> keyColumns = new IdentityHashMap<>();
    private final Set<String> tablesWithoutKey = new HashSet<>();
    private int next;

    KeyRouter(int workers, Ordering ordering, String sourceName) {
        this.workers = workers;
        this.ordering = ordering;
        this.sourceName = sourceName;
    }

    /** The worker of {@code row}: of its old key for an UPDATE (see {@link #newKeyWorker}). */
    int worker(RowChange row) {
        return switch (ordering) {
            case NONE -> {
                int worker = next;
                next = worker + 1 == workers ? 0 : worker + 1;
                yield worker;
            }
            case TABLE -> spread(row.qualifiedTable().hashCode());
            case KEY -> keyWorker(row.tableSchema(), row.before() == null ? row.after() : row.before());
        };
    }

    /**
     * The worker of an UPDATE's new key when that differs from {@link #worker}'s (the update changed the
     * primary key to a value of another worker), else {@code -1}.
     */
    int newKeyWorker(RowChange row, int oldKeyWorker) {
        if (ordering != Ordering.KEY || row.type() != ChangeType.UPDATE) {
            return -1;
        }
        int worker = keyWorker(row.tableSchema(), row.after());
        return worker == oldKeyWorker ? -1 : worker;
    }

    private int keyWorker(TableSchema table, Row image) {
        int[] columns = keyColumns.computeIfAbsent(table, this::keyColumnsOf);
        int hash = table.qualifiedName().hashCode();
        for (int column : columns) {
            hash = 31 * hash + valueHash(image.get(column));
        }
        return spread(hash);
    }

    private int[] keyColumnsOf(TableSchema table) {
        List<String> key = table.primaryKey();
        if (key.isEmpty()) {
            if (tablesWithoutKey.add(table.qualifiedName())) {
                log.info("Source '{}': table {} has no primary key; its rows are handled in table order, one at a time",
                        sourceName, table.qualifiedName());
            }
            return NO_KEY;
        }
        return key.stream().mapToInt(table::indexOf).toArray();
    }

    private static int valueHash(Object value) {
        return value instanceof byte[] bytes ? Arrays.hashCode(bytes) : value == null ? 0 : value.hashCode();
    }

    private int spread(int hash) {
        int h = hash * 0x9E3779B9; // Fibonacci hashing: keys that differ in low bits still spread
        return Math.floorMod(h ^ (h >>> 16), workers);
    }
}
