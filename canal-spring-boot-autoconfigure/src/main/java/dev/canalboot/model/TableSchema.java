package dev.canalboot.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of one table version: shared by every {@link Row} decoded against it, so that rows carry
 * only their values.
 */
public final class TableSchema {

    private final String schema;
    private final String table;
    private final List<Column> columns;
    private final List<String> primaryKey;
    private final Map<String, Integer> indexByName;

    public TableSchema(String schema, String table, List<Column> columns) {
        this.schema = schema;
        this.table = table;
        this.columns = List.copyOf(columns);
        List<String> pk = new ArrayList<>();
        Map<String, Integer> byName = new HashMap<>(columns.size() * 2);
        for (int i = 0; i < this.columns.size(); i++) {
            Column column = this.columns.get(i);
            if (column.index() != i) {
                throw new IllegalArgumentException("Column " + column.name() + " of " + schema + "." + table
                        + " has index " + column.index() + " but stands at position " + i);
            }
            byName.put(column.name(), i);
            // MySQL column names are case-insensitive: also find them in lower case.
            byName.putIfAbsent(column.name().toLowerCase(Locale.ROOT), i);
            if (column.primaryKey()) {
                pk.add(column.name());
            }
        }
        this.primaryKey = Collections.unmodifiableList(pk);
        this.indexByName = byName;
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    /** {@code schema.table}. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    public List<Column> columns() {
        return columns;
    }

    public int size() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** Index of the named column (case-insensitive), or -1. */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        if (index == null) {
            index = indexByName.get(name.toLowerCase(Locale.ROOT));
        }
        return index == null ? -1 : index;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    @Override
    public String toString() {
        return qualifiedName() + columns.stream().map(Column::name).toList();
    }
}
