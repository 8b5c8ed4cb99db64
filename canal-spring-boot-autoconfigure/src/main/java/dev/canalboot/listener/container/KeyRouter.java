package dev.canalboot.listener.container;

import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TableSchema;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names what a row must stay in order with: the same table and primary-key value ({@link Ordering#KEY}), the
 * same table ({@link Ordering#TABLE}), or nothing ({@link Ordering#NONE}). Rows with equal order keys are handled
 * one at a time in binlog order; rows with different ones do not wait for each other. Used by the dispatching
 * thread only.
 */
final class KeyRouter {

    private static final Logger log = LoggerFactory.getLogger(KeyRouter.class);
    private static final int[] NO_KEY = new int[0];

    private final Ordering ordering;
    private final String sourceName;
    /** Primary-key column indexes per table version ({@link TableSchema} instances are shared by its rows). */
    private final Map<TableSchema, int[]> keyColumns = new IdentityHashMap<>();
    private final Set<String> tablesWithoutKey = new HashSet<>();

    KeyRouter(Ordering ordering, String sourceName) {
        this.ordering = ordering;
        this.sourceName = sourceName;
    }

    /** The order key of {@code row} (of its old key for an UPDATE, see {@link #newKey}); null with no ordering. */
    Object key(RowChange row) {
        return switch (ordering) {
            case NONE -> null;
            case TABLE -> row.qualifiedTable();
            case KEY -> key(row.tableSchema(), row.before() == null ? row.after() : row.before());
        };
    }

    /**
     * The order key of an UPDATE's new primary-key value when the update changed it (then the row is ordered
     * against both keys), else null.
     */
    @Nullable Object newKey(RowChange row, Object oldKey) {
        if (ordering != Ordering.KEY || row.type() != ChangeType.UPDATE) {
            return null;
        }
        Object key = key(row.tableSchema(), row.after());
        return key.equals(oldKey) ? null : key;
    }

    private Object key(TableSchema table, Row image) {
        int[] columns = keyColumns.computeIfAbsent(table, this::keyColumnsOf);
        if (columns.length == 0) {
            return table.qualifiedName(); // no primary key: table order
        }
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = image.get(columns[i]);
        }
        return new RowKey(table.qualifiedName(), values);
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

    /** A table and primary-key value; binary key columns compare by content. */
    static final class RowKey {
        private final String table;
        private final Object[] values;
        private final int hash;

        RowKey(String table, Object[] values) {
            this.table = table;
            this.values = values;
            this.hash = 31 * table.hashCode() + Arrays.deepHashCode(values);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RowKey key && hash == key.hash && table.equals(key.table)
                    && Arrays.deepEquals(values, key.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return table + Arrays.deepToString(values);
        }
    }
}
