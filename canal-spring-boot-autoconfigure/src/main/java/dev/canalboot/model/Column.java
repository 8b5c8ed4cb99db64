package dev.canalboot.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One column of a table as known when a change was decoded.
 *
 * @param name       column name as declared
 * @param index      zero-based position in the table
 * @param type       type family
 * @param unsigned   whether an integer column is UNSIGNED
 * @param length     BIT width, CHAR/BINARY length, or 0 when unknown
 * @param scale      DECIMAL scale, fractional-seconds precision of TIME/DATETIME/TIMESTAMP, else 0
 * @param charset    Java charset name of a character column ({@code null} for non-character columns)
 * @param primaryKey whether the column is part of the primary key
 * @param elements   ENUM/SET element names in declaration order (empty for other types)
 */
public record Column(String name, int index, ColumnType type, boolean unsigned, int length, int scale,
                     @Nullable String charset, boolean primaryKey, List<String> elements) {

    public Column {
        elements = elements == null ? List.of() : List.copyOf(elements);
    }

    /** The Java type of this column's non-null values. */
    public Class<?> javaType() {
        return ColumnType.javaType(this);
    }
}
