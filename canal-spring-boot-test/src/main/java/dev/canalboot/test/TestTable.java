package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A table for building {@link RowChange}s without a server. Values are typed as the sources deliver them
 * ({@link ColumnType#javaType(Column)}: {@code BIGINT} a {@code Long}, {@code DECIMAL} a {@code BigDecimal},
 * {@code DATETIME} a {@code LocalDateTime}, ...); a value of another type is refused, so that a test cannot
 * feed a listener something a real source never would.
 *
 * <pre>{@code
 * TestTable orders = TestTable.builder("shop", "orders")
 *         .primaryKey("id", ColumnType.BIGINT)
 *         .column("customer", ColumnType.VARCHAR)
 *         .column("amount", ColumnType.DECIMAL)
 *         .build();
 * RowChange insert = orders.insert(1L, "ada", new BigDecimal("12.50"));
 * }</pre>
 *
 * Changes carry source {@code default} and no position; {@link TestChangeSource#send} stamps both.
 */
public final class TestTable {

    private final TableSchema schema;

    private TestTable(TableSchema schema) {
        this.schema = schema;
    }

    public static Builder builder(String schema, String table) {
        return new Builder(schema, table);
    }

    public TableSchema schema() {
        return schema;
    }

    /** A row image from values in column order. */
    public Row row(@Nullable Object... values) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException(schema.qualifiedName() + " has " + schema.size() + " columns "
                    + names() + " but " + values.length + " values were given");
        }
        for (int i = 0; i < values.length; i++) {
            check(schema.column(i), values[i]);
        }
        return new Row(schema, values.clone());
    }

    /** A row image from column names; columns not named are NULL. */
    public Row row(Map<String, ? extends @Nullable Object> values) {
        @Nullable Object[] array = new Object[schema.size()];
        values.forEach((name, value) -> {
            int index = schema.indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException(schema.qualifiedName() + " has no column '" + name
                        + "'; columns are " + names());
            }
            array[index] = value;
        });
        return row(array);
    }

    public RowChange insert(@Nullable Object... values) {
        return change(ChangeType.INSERT, null, row(values));
    }

    public RowChange insert(Row after) {
        return change(ChangeType.INSERT, null, after);
    }

    public RowChange update(Row before, Row after) {
        return change(ChangeType.UPDATE, before, after);
    }

    public RowChange delete(@Nullable Object... values) {
        return change(ChangeType.DELETE, row(values), null);
    }

    public RowChange delete(Row before) {
        return change(ChangeType.DELETE, before, null);
    }

    private RowChange change(ChangeType type, @Nullable Row before, @Nullable Row after) {
        for (Row row : new Row[]{before, after}) {
            if (row != null && row.schema() != schema) {
                throw new IllegalArgumentException("Row " + row + " was built for " + row.schema().qualifiedName()
                        + ", not for this " + schema.qualifiedName());
            }
        }
        return new RowChange("default", schema, type, before, after, SourcePosition.UNKNOWN, Instant.now());
    }

    private static void check(Column column, @Nullable Object value) {
        Class<?> type = column.javaType();
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException("Column " + column.name() + " is " + (column.unsigned() ? "UNSIGNED " : "")
                    + column.type() + ": the sources deliver " + type.getName() + ", not " + value.getClass().getName()
                    + " (" + value + ")");
        }
    }

    private List<String> names() {
        return schema.columns().stream().map(Column::name).toList();
    }

    @Override
    public String toString() {
        return schema.toString();
    }

    /** Columns in table order. */
    public static final class Builder {

        private final String schema;
        private final String table;
        private final List<Column> columns = new ArrayList<>();

        private Builder(String schema, String table) {
            this.schema = schema;
            this.table = table;
        }

        public Builder primaryKey(String name, ColumnType type) {
            return add(name, type, false, true, List.of());
        }

        public Builder column(String name, ColumnType type) {
            return add(name, type, false, false, List.of());
        }

        /** An {@code UNSIGNED} integer column ({@code INT UNSIGNED} is a {@code Long}, {@code BIGINT UNSIGNED} a {@code BigInteger}). */
        public Builder unsignedColumn(String name, ColumnType type) {
            return add(name, type, true, false, List.of());
        }

        /** An {@code ENUM} or {@code SET} column with its elements in declaration order. */
        public Builder column(String name, ColumnType type, String... elements) {
            return add(name, type, false, false, List.of(elements));
        }

        /** Any column, as the sources describe it (length, scale, charset...); its index is set here. */
        public Builder column(Column column) {
            columns.add(new Column(column.name(), columns.size(), column.type(), column.unsigned(), column.length(),
                    column.scale(), column.charset(), column.primaryKey(), column.elements()));
            return this;
        }

        private Builder add(String name, ColumnType type, boolean unsigned, boolean primaryKey, List<String> elements) {
            String charset = switch (type) {
                case CHAR, VARCHAR, TEXT, ENUM, SET, JSON -> "UTF-8";
                default -> null;
            };
            columns.add(new Column(name, columns.size(), type, unsigned, 0, 0, charset, primaryKey, elements));
            return this;
        }

        public TestTable build() {
            return new TestTable(new TableSchema(schema, table, columns));
        }
    }
}
