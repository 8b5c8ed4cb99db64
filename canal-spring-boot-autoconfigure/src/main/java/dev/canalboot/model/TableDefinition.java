package dev.canalboot.model;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A table's columns as of one binlog position (from the source's schema history).
 *
 * @param charset the table's default character set (what a column added without one gets), or {@code null}
 *                when not known
 */
public record TableDefinition(String schema, String table, List<ColumnDefinition> columns, @Nullable String charset) {

    public TableDefinition {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
    }

    public String qualifiedName() {
        return schema + "." + table;
    }

    /** Column names in order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnDefinition::name).toList();
    }

    /** {@code schema.table(a int, b varchar(20))}: for logs and errors. */
    public String describe() {
        StringBuilder sb = new StringBuilder(qualifiedName()).append('(');
        for (int i = 0; i < columns.size(); i++) {
            ColumnDefinition c = columns.get(i);
            sb.append(i == 0 ? "" : ", ").append(c.name()).append(' ').append(c.columnType());
        }
        return sb.append(')').toString();
    }
}
