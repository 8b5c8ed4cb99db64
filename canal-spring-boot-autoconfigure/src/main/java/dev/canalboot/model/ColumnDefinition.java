package dev.canalboot.model;

import org.jspecify.annotations.Nullable;

/**
 * One column of a {@link TableDefinition}, in the words of information_schema.COLUMNS.
 *
 * @param name       COLUMN_NAME
 * @param dataType   DATA_TYPE, lower case, e.g. {@code int}, {@code varchar}
 * @param columnType COLUMN_TYPE, e.g. {@code int unsigned}, {@code varchar(20)}, {@code enum('a','b')}
 * @param charset    CHARACTER_SET_NAME, or {@code null} for columns that hold no text
 * @param primaryKey whether the column is part of the primary key
 */
public record ColumnDefinition(String name, String dataType, String columnType, @Nullable String charset, boolean primaryKey) {
}
