package dev.canalboot.binlog;

/**
 * One column as information_schema.COLUMNS describes it.
 *
 * @param dataType   DATA_TYPE, e.g. {@code int}
 * @param columnType COLUMN_TYPE, e.g. {@code int(10) unsigned}, {@code enum('a','b')}
 * @param charset    CHARACTER_SET_NAME or {@code null}
 */
public record ColumnShape(String name, String dataType, String columnType, String charset, boolean primaryKey) {
}
