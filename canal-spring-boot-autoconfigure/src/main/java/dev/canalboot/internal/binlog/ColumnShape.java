package dev.canalboot.internal.binlog;

/**
 * One column as information_schema describes it.
 *
 * @param name       COLUMN_NAME
 * @param dataType   DATA_TYPE, e.g. {@code int}, {@code varchar}
 * @param columnType COLUMN_TYPE, e.g. {@code int(10) unsigned}, {@code enum('a','b')}
 * @param charset    CHARACTER_SET_NAME, or {@code null} for non-character columns
 * @param primaryKey whether the column is part of the primary key
 */
public record ColumnShape(String name, String dataType, String columnType, String charset, boolean primaryKey) {
}
