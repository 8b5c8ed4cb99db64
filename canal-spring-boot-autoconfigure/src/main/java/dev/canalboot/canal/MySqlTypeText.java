package dev.canalboot.canal;

import dev.canalboot.model.ColumnType;

import java.util.ArrayList;
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

    /** Parses the type text; an unknown type name gives {@link ColumnType#UNKNOWN}, a malformed text an error. */
    public static MySqlTypeText parse(String text) {
        if (text == null || text.isBlank()) {
            return new MySqlTypeText(ColumnType.UNKNOWN, false, 0, 0, List.of());
        }
        String trimmed = text.trim();
        int open = trimmed.indexOf('(');
        String name;
        String arguments = null;
        String modifiers;
        if (open >= 0) {
            int close = closingParenthesis(trimmed, open);
            if (close < 0) {
                throw new IllegalArgumentException("Column type '" + text + "' has no closing parenthesis");
            }
            name = trimmed.substring(0, open).trim();
            arguments = trimmed.substring(open + 1, close);
            modifiers = trimmed.substring(close + 1);
        } else {
            int space = trimmed.indexOf(' ');
            name = space < 0 ? trimmed : trimmed.substring(0, space);
            modifiers = space < 0 ? "" : trimmed.substring(space);
        }
        name = name.toLowerCase(Locale.ROOT);
        modifiers = modifiers.toLowerCase(Locale.ROOT);
        boolean unsigned = modifiers.contains("unsigned");
        ColumnType type = family(name);
        if (type == ColumnType.ENUM || type == ColumnType.SET) {
            return new MySqlTypeText(type, false, 0, 0, arguments == null ? List.of() : quotedList(arguments, text));
        }
        int[] numbers = arguments == null ? new int[0] : numbers(arguments, text);
        int length = 0;
        int scale = 0;
        switch (type) {
            case BIT -> length = numbers.length > 0 ? numbers[0] : 1;
            case CHAR, BINARY -> length = numbers.length > 0 ? numbers[0] : 1;
            case VARCHAR, VARBINARY -> length = numbers.length > 0 ? numbers[0] : 0;
            case DECIMAL -> scale = numbers.length > 1 ? numbers[1] : 0;
            case TIME, DATETIME, TIMESTAMP -> scale = numbers.length > 0 ? numbers[0] : 0;
            default -> { }
        }
        return new MySqlTypeText(type, unsigned, length, scale, List.of());
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
            case "binary" -> ColumnType.BINARY;
            case "varbinary" -> ColumnType.VARBINARY;
            case "tinyblob", "blob", "mediumblob", "longblob" -> ColumnType.BLOB;
            case "enum" -> ColumnType.ENUM;
            case "set" -> ColumnType.SET;
            case "json" -> ColumnType.JSON;
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> ColumnType.GEOMETRY;
            default -> ColumnType.UNKNOWN;
        };
    }

    private static int closingParenthesis(String text, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // a doubled quote toggles twice: stays inside
            } else if (c == ')' && !quoted) {
                return i;
            }
        }
        return -1;
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

    /** {@code 'a','b''c','d\\'e'} → [a, b'c, d'e]: SQL quoting with doubled quotes or backslash escapes. */
    private static List<String> quotedList(String arguments, String text) {
        List<String> elements = new ArrayList<>();
        int i = 0;
        int n = arguments.length();
        while (i < n) {
            char c = arguments.charAt(i);
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            if (c != '\'') {
                throw new IllegalArgumentException("Column type '" + text + "' has an unquoted element at '"
                        + arguments.substring(i) + "'");
            }
            StringBuilder element = new StringBuilder();
            i++;
            boolean closed = false;
            while (i < n) {
                char d = arguments.charAt(i);
                if (d == '\\' && i + 1 < n) {
                    element.append(arguments.charAt(i + 1));
                    i += 2;
                } else if (d == '\'') {
                    if (i + 1 < n && arguments.charAt(i + 1) == '\'') {
                        element.append('\'');
                        i += 2;
                    } else {
                        i++;
                        closed = true;
                        break;
                    }
                } else {
                    element.append(d);
                    i++;
                }
            }
            if (!closed) {
                throw new IllegalArgumentException("Column type '" + text + "' has an unterminated element");
            }
            elements.add(element.toString());
        }
        return elements;
    }
}
