package dev.canalboot.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One row image: typed values by column name or index. Values follow {@link ColumnType#javaType(Column)};
 * SQL NULL is {@code null}. Immutable; the value array is never exposed.
 */
public final class Row {

    private final TableSchema schema;
    private final @Nullable Object[] values;

    /** The array is taken over, not copied: callers hand in a fresh array they no longer touch. */
    public Row(TableSchema schema, @Nullable Object[] values) {
        if (values.length != schema.size()) {
            throw new IllegalArgumentException("Row of " + schema.qualifiedName() + " has " + values.length
                    + " values but the table has " + schema.size() + " columns");
        }
        this.schema = schema;
        this.values = values;
    }

    public TableSchema schema() {
        return schema;
    }

    public int size() {
        return values.length;
    }

    public @Nullable Object get(int index) {
        return values[index];
    }

    /** The value of the named column (case-insensitive). */
    public @Nullable Object get(String column) {
        return values[indexOf(column)];
    }

    /** The value cast to {@code type}; a wrong type is an error naming the column and its actual type. */
    public <T> @Nullable T get(String column, Class<T> type) {
        Object value = get(column);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new ClassCastException("Column " + schema.qualifiedName() + "." + column + " holds "
                + value.getClass().getName() + ", not " + type.getName());
    }

    public boolean has(String column) {
        return schema.indexOf(column) >= 0;
    }

    public boolean isNull(String column) {
        return get(column) == null;
    }

    public @Nullable String getString(String column) {
        return get(column, String.class);
    }

    public @Nullable Integer getInteger(String column) {
        return get(column, Integer.class);
    }

    public @Nullable Long getLong(String column) {
        return get(column, Long.class);
    }

    public @Nullable BigInteger getBigInteger(String column) {
        return get(column, BigInteger.class);
    }

    public @Nullable BigDecimal getBigDecimal(String column) {
        return get(column, BigDecimal.class);
    }

    public @Nullable Boolean getBoolean(String column) {
        return get(column, Boolean.class);
    }

    public byte @Nullable [] getBytes(String column) {
        return get(column, byte[].class);
    }

    public @Nullable LocalDate getLocalDate(String column) {
        return get(column, LocalDate.class);
    }

    public @Nullable LocalDateTime getLocalDateTime(String column) {
        return get(column, LocalDateTime.class);
    }

    public @Nullable Instant getInstant(String column) {
        return get(column, Instant.class);
    }

    public @Nullable Duration getDuration(String column) {
        return get(column, Duration.class);
    }

    @SuppressWarnings("unchecked")
    public @Nullable Set<String> getSet(String column) {
        return get(column, Set.class);
    }

    /** Column name → value in column order; a new modifiable map on each call. */
    public Map<String, @Nullable Object> toMap() {
        Map<String, @Nullable Object> map = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            map.put(schema.column(i).name(), values[i]);
        }
        return map;
    }

    /** Values in column order, as an unmodifiable view. */
    public java.util.List<@Nullable Object> values() {
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    private int indexOf(String column) {
        int index = schema.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("Table " + schema.qualifiedName() + " has no column '" + column
                    + "'; columns are " + schema.columns().stream().map(Column::name).toList());
        }
        return index;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Row other && schema.qualifiedName().equals(other.schema.qualifiedName())
                && Arrays.deepEquals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            sb.append(schema.column(i).name()).append('=')
                    .append(v instanceof byte[] b ? "byte[" + b.length + "]" : v);
        }
        return sb.append('}').toString();
    }
}
