package dev.canalboot.canal;

import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.internal.mysql.EnumSetElements;

import org.jspecify.annotations.Nullable;
import java.util.List;
import java.util.Locale;

/**
 * A column type as MySQL/MariaDB writes it in {@code COLUMN_TYPE} and Canal forwards it in
 * {@code Column.mysqlType}: {@code decimal(10,2)}, {@code int(10) unsigned}, {@code datetime(3)},
 * {@code enum('a','b')}, {@code bit(1)}, ...
 *
 * @param type     the model's type family ({@link ColumnType#UNKNOWN} for names the model does not know)
 * @param unsigned {@code unsigned} modifier present
 * @param length   first argument for BIT/CHAR/BINARY/VARCHAR/VARBINARY, 0 otherwise
 * @param scale    DECIMAL scale or fractional-seconds precision of TIME/DATETIME/TIMESTAMP, else 0
 * @param elements ENUM/SET element names in declaration order
 */
public record MySqlTypeText(ColumnType type, boolean unsigned, int length, int scale, List<String> elements) {

    public MySqlTypeText {
        elements = List.copyOf(elements);
    }

    /**
     * MariaDB's {@code uuid}, {@code inet6} and {@code inet4}: the binlog carries them as {@code BINARY(16)} /
     * {@code BINARY(4)} (the bytes of {@code CAST(col AS BINARY(n))}), so the model types them so too.
     */
    public static boolean isMariaDbBinaryType(String typeName) {
        String name = typeName.toLowerCase(Locale.ROOT);
        return name.equals("uuid") || name.equals("inet6") || name.equals("inet4");
    }

    /** Parses the type text; an unknown type name gives {@link ColumnType#UNKNOWN}, a malformed text an error. */
    public static MySqlTypeText parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return new MySqlTypeText(ColumnType.UNKNOWN, false, 0, 0, List.of());
        }
        String trimmed = text.trim();
        int open = trimmed.indexOf('(');
        int space = trimmed.indexOf(' ');
        int nameEnd = open >= 0 ? open : space >= 0 ? space : trimmed.length();
        ColumnType type = family(trimmed.substring(0, nameEnd).trim().toLowerCase(Locale.ROOT));
        if (type == ColumnType.ENUM || type == ColumnType.SET) {
            return new MySqlTypeText(type, false, 0, 0, EnumSetElements.parse(trimmed));
        }
        if (type == ColumnType.BINARY && isMariaDbBinaryType(trimmed.substring(0, nameEnd).trim())) {
            return new MySqlTypeText(type, false, "inet4".equalsIgnoreCase(trimmed.substring(0, nameEnd).trim())
                    ? 4 : 16, 0, List.of());
        }
        String arguments = null;
        String modifiers = trimmed.substring(nameEnd);
        if (open >= 0) {
            int close = trimmed.indexOf(')', open);
            if (close < 0) {
                throw new IllegalArgumentException("Column type '" + text + "' has no closing parenthesis");
            }
            arguments = trimmed.substring(open + 1, close);
            modifiers = trimmed.substring(close + 1);
        }
        boolean unsigned = modifiers.toLowerCase(Locale.ROOT).contains("unsigned");
        int[] numbers = arguments == null ? new int[0] : numbers(arguments, text);
        int length = 0;
        int scale = 0;
        switch (type) {
            case BIT -> length = numbers.length > 0 ? numbers[0] : 1;
            case CHAR, BINARY -> length = numbers.length > 0 ? numbers[0] : 1;
            case VARCHAR, VARBINARY, VECTOR -> length = numbers.length > 0 ? numbers[0] : 0;
            case DECIMAL -> scale = numbers.length > 1 ? numbers[1] : 0;
            case TIME, DATETIME, TIMESTAMP -> scale = numbers.length > 0 ? numbers[0] : 0;
            default -> { }
        }
        return new MySqlTypeText(type, unsigned, length, scale, List.of());
    }

    /**
     * The model column named {@code name} at {@code index} with this type (no charset: Canal sends text already
     * decoded).
     */
    public Column column(String name, int index, boolean primaryKey) {
        return new Column(name, index, type, unsigned, length, scale, null, primaryKey, elements);
    }

    /** The type text of a model column, for writing what {@link #parse} reads (see {@link #text()}). */
    public static MySqlTypeText of(Column column) {
        return new MySqlTypeText(column.type(), column.unsigned(), column.length(), column.scale(), column.elements());
    }

    /**
     * This type as MySQL 8 writes {@code COLUMN_TYPE}: {@code int unsigned}, {@code varchar(20)},
     * {@code decimal(65,2)}, {@code datetime(3)}, {@code enum('a','b')}. What the model does not keep is written
     * as the widest choice: DECIMAL with precision 65, TEXT/BLOB as {@code text}/{@code blob}; {@link #parse}
     * reads back the same type, sign, length, scale and elements.
     */
    public String text() {
        StringBuilder sb = new StringBuilder(type == ColumnType.UNKNOWN ? "unknown" : type.name().toLowerCase(Locale.ROOT));
        switch (type) {
            case BIT, CHAR, BINARY, VARCHAR, VARBINARY, VECTOR -> {
                if (length > 0) {
                    sb.append('(').append(length).append(')');
                }
            }
            case DECIMAL -> sb.append("(65,").append(scale).append(')');
            case TIME, DATETIME, TIMESTAMP -> {
                if (scale > 0) {
                    sb.append('(').append(scale).append(')');
                }
            }
            case ENUM, SET -> {
                sb.append('(');
                for (int i = 0; i < elements.size(); i++) {
                    sb.append(i == 0 ? "" : ",").append('\'')
                            .append(elements.get(i).replace("\\", "\\\\").replace("'", "''")).append('\'');
                }
                sb.append(')');
            }
            default -> { }
        }
        boolean numeric = switch (type) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, DECIMAL, FLOAT, DOUBLE -> true;
            default -> false;
        };
        if (unsigned && numeric) {
            sb.append(" unsigned");
        }
        return sb.toString();
    }

    private static ColumnType family(String name) {
        return switch (name) {
            case "tinyint", "bool", "boolean" -> ColumnType.TINYINT;
            case "smallint" -> ColumnType.SMALLINT;
            case "mediumint" -> ColumnType.MEDIUMINT;
            case "int", "integer" -> ColumnType.INT;
            case "bigint", "serial" -> ColumnType.BIGINT;
            case "decimal", "numeric", "dec", "fixed" -> ColumnType.DECIMAL;
            case "float" -> ColumnType.FLOAT;
            case "double", "real" -> ColumnType.DOUBLE;
            case "bit" -> ColumnType.BIT;
            case "year" -> ColumnType.YEAR;
            case "date" -> ColumnType.DATE;
            case "time" -> ColumnType.TIME;
            case "datetime" -> ColumnType.DATETIME;
            case "timestamp" -> ColumnType.TIMESTAMP;
            case "char", "nchar" -> ColumnType.CHAR;
            case "varchar", "nvarchar" -> ColumnType.VARCHAR;
            case "tinytext", "text", "mediumtext", "longtext" -> ColumnType.TEXT;
            case "binary", "uuid", "inet6", "inet4" -> ColumnType.BINARY; // MariaDB logs these as BINARY(16/4)
            case "varbinary" -> ColumnType.VARBINARY;
            case "tinyblob", "blob", "mediumblob", "longblob" -> ColumnType.BLOB;
            case "enum" -> ColumnType.ENUM;
            case "set" -> ColumnType.SET;
            case "json" -> ColumnType.JSON;
            case "vector" -> ColumnType.VECTOR;
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> ColumnType.GEOMETRY;
            default -> ColumnType.UNKNOWN;
        };
    }

    private static int[] numbers(String arguments, String text) {
        String[] parts = arguments.split(",");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Column type '" + text + "' has a non-numeric argument '"
                        + parts[i].trim() + "'", e);
            }
        }
        return numbers;
    }
}
