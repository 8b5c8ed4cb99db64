package dev.canalboot.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One changed row. INSERT and SNAPSHOT have only {@link #after()}, DELETE only {@link #before()}, UPDATE both.
 */
public record RowChange(String source, TableSchema tableSchema, ChangeType type, @Nullable Row before, @Nullable Row after,
                        SourcePosition position, Instant timestamp) implements ChangeEvent {

    public RowChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tableSchema, "tableSchema");
        if (type != ChangeType.DELETE && after == null) {
            throw new IllegalArgumentException(type + " on " + tableSchema.qualifiedName() + " needs an after image");
        }
        if ((type == ChangeType.DELETE || type == ChangeType.UPDATE) && before == null) {
            throw new IllegalArgumentException(type + " on " + tableSchema.qualifiedName() + " needs a before image");
        }
    }

    public String schema() {
        return tableSchema.schema();
    }

    public String table() {
        return tableSchema.table();
    }

    /** {@code schema.table}. */
    public String qualifiedTable() {
        return tableSchema.qualifiedName();
    }

    /** The row as it is now: the after image, or the before image of a DELETE. */
    public Row row() {
        return after != null ? after : before;
    }

    /** Primary-key column names (empty when the table has none or it is not known). */
    public List<String> primaryKey() {
        return tableSchema.primaryKey();
    }

    /**
     * Columns whose value differs between before and after for an UPDATE; every column for INSERT, SNAPSHOT and
     * DELETE.
     */
    public List<String> changedColumns() {
        List<Column> columns = tableSchema.columns();
        if (type != ChangeType.UPDATE) {
            return columns.stream().map(Column::name).toList();
        }
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!Objects.deepEquals(before.get(i), after.get(i))) {
                changed.add(columns.get(i).name());
            }
        }
        return Collections.unmodifiableList(changed);
    }

    @Override
    public String toString() {
        return type + " " + qualifiedTable() + " @" + position
                + (before != null ? " before=" + before : "") + (after != null ? " after=" + after : "");
    }
}
