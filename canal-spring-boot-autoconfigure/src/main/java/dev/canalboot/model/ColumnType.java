package dev.canalboot.model;

/**
 * SQL type families as a listener sees them, identical for the Canal and the binlog source.
 * {@link #javaType(Column)} is the single place that states which Java type a column's values have
 * (the table in the README is generated from the same rules).
 */
public enum ColumnType {
    TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT,
    DECIMAL, FLOAT, DOUBLE,
    BIT, YEAR,
    DATE, TIME, DATETIME, TIMESTAMP,
    CHAR, VARCHAR, TEXT,
    BINARY, VARBINARY, BLOB,
    ENUM, SET, JSON, GEOMETRY,
    /** MySQL 9's vector of 4-byte floats. */
    VECTOR,
    /** DDL and metadata-only types the model cannot name; values are passed through as decoded. */
    UNKNOWN;

    /** The Java type of non-null values of the given column. */
    public static Class<?> javaType(Column column) {
        return switch (column.type()) {
            case TINYINT, SMALLINT, MEDIUMINT -> Integer.class;
            case INT -> column.unsigned() ? Long.class : Integer.class;
            case BIGINT -> column.unsigned() ? java.math.BigInteger.class : Long.class;
            case DECIMAL -> java.math.BigDecimal.class;
            case FLOAT -> Float.class;
            case DOUBLE -> Double.class;
            case BIT -> column.length() == 1 ? Boolean.class : Long.class;
            case YEAR -> Integer.class;
            case DATE -> java.time.LocalDate.class;
            case TIME -> java.time.Duration.class;
            case DATETIME -> java.time.LocalDateTime.class;
            case TIMESTAMP -> java.time.Instant.class;
            case CHAR, VARCHAR, TEXT, ENUM, JSON -> String.class;
            case BINARY, VARBINARY, BLOB, GEOMETRY -> byte[].class;
            case SET -> java.util.Set.class;
            case VECTOR -> float[].class;
            case UNKNOWN -> Object.class;
        };
    }
}
