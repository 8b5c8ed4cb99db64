package dev.canalboot.testsupport;

import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.TableSchema;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.fail;

/**
 * Test support: what {@code SELECT} returns for a table, converted to the model's Java types
 * ({@link dev.canalboot.model.ColumnType#javaType}) so that decoded rows can be compared value by value.
 */
public final class JdbcRows {

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private JdbcRows() {
    }

    /** The table's columns as information_schema describes them, independently of the decoder. */
    public static TableSchema describe(Connection connection, String schemaName, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION"
                     + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + schemaName
                     + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
            while (rs.next()) {
                String dataType = rs.getString(2).toLowerCase(java.util.Locale.ROOT);
                ColumnType type = switch (dataType) {
                    case "tinyint" -> ColumnType.TINYINT;
                    case "smallint" -> ColumnType.SMALLINT;
                    case "mediumint" -> ColumnType.MEDIUMINT;
                    case "int" -> ColumnType.INT;
                    case "bigint" -> ColumnType.BIGINT;
                    case "decimal" -> ColumnType.DECIMAL;
                    case "float" -> ColumnType.FLOAT;
                    case "double" -> ColumnType.DOUBLE;
                    case "bit" -> ColumnType.BIT;
                    case "year" -> ColumnType.YEAR;
                    case "date" -> ColumnType.DATE;
                    case "time" -> ColumnType.TIME;
                    case "datetime" -> ColumnType.DATETIME;
                    case "timestamp" -> ColumnType.TIMESTAMP;
                    case "char" -> ColumnType.CHAR;
                    case "varchar" -> ColumnType.VARCHAR;
                    case "tinytext", "text", "mediumtext", "longtext" -> ColumnType.TEXT;
                    case "binary" -> ColumnType.BINARY;
                    case "varbinary" -> ColumnType.VARBINARY;
                    case "tinyblob", "blob", "mediumblob", "longblob" -> ColumnType.BLOB;
                    case "enum" -> ColumnType.ENUM;
                    case "set" -> ColumnType.SET;
                    case "json" -> ColumnType.JSON;
                    default -> ColumnType.GEOMETRY;
                };
                int length = type == ColumnType.BIT ? rs.getInt(4) : 0;
                columns.add(new Column(rs.getString(1), columns.size(), type,
                        rs.getString(3).contains("unsigned"), length, 0, null, false, List.of()));
            }
        }
        return new TableSchema(schemaName, table, columns);
    }

    /** Rows by the value of the first column (the id). */
    public static Map<Object, Object[]> select(Connection connection, String schemaName, String table)
            throws SQLException {
        return select(connection, describe(connection, schemaName, table));
    }

    public static Map<Object, Object[]> select(Connection connection, TableSchema schema) throws SQLException {
        List<String> expressions = new ArrayList<>();
        for (Column c : schema.columns()) {
            String q = "`" + c.name() + "`";
            expressions.add(switch (c.type()) {
                case TIMESTAMP -> "UNIX_TIMESTAMP(" + q + ")";
                case YEAR -> q + "+0";
                case DATETIME -> "DATE_FORMAT(" + q + ", '%Y-%m-%d %H:%i:%s.%f')";
                case TIME, DATE -> "CAST(" + q + " AS CHAR)";
                // SELECT prints a FLOAT with 6 digits, not always the float stored; as a double it is exact
                case FLOAT -> "CAST(" + q + " AS DOUBLE)";
                default -> q;
            });
        }
        Map<Object, Object[]> rows = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + String.join(", ", expressions) + " FROM `"
                     + schema.schema() + "`.`" + schema.table() + "`")) {
            while (rs.next()) {
                Object[] values = new Object[schema.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = value(rs, i + 1, schema.column(i));
                }
                rows.put(values[0], values);
            }
        }
        return rows;
    }

    private static Object value(ResultSet rs, int index, Column c) throws SQLException {
        if (rs.getObject(index) == null) {
            return null;
        }
        return switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, YEAR -> rs.getInt(index);
            case INT -> c.unsigned() ? (Object) rs.getLong(index) : (Object) rs.getInt(index);
            case BIGINT -> c.unsigned() ? rs.getBigDecimal(index).toBigInteger() : (Object) rs.getLong(index);
            case DECIMAL -> rs.getBigDecimal(index);
            case FLOAT -> rs.getFloat(index);
            case DOUBLE -> rs.getDouble(index);
            case BIT -> {
                byte[] b = rs.getBytes(index);
                long v = 0;
                for (byte x : b) {
                    v = (v << 8) | (x & 0xff);
                }
                yield c.length() == 1 ? (Object) (v != 0) : (Object) v;
            }
            case DATE -> {
                String s = rs.getString(index);
                yield s.startsWith("0000") || s.contains("-00") ? null : LocalDate.parse(s);
            }
            case DATETIME -> {
                String s = rs.getString(index);
                yield s.startsWith("0000") || s.contains("-00") ? null : LocalDateTime.parse(s, DATETIME);
            }
            case TIMESTAMP -> {
                BigDecimal seconds = rs.getBigDecimal(index);
                yield seconds.signum() == 0 ? null : Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            case TIME -> time(rs.getString(index));
            case CHAR, VARCHAR, TEXT, ENUM, JSON -> rs.getString(index);
            case SET -> {
                String s = rs.getString(index);
                Set<String> set = new LinkedHashSet<>();
                if (!s.isEmpty()) {
                    set.addAll(Arrays.asList(s.split(",")));
                }
                yield set;
            }
            case BINARY, VARBINARY, BLOB, GEOMETRY -> rs.getBytes(index);
            case VECTOR -> dev.canalboot.internal.mysql.Vectors.fromBytes(rs.getBytes(index), c.name());
            case UNKNOWN -> rs.getObject(index);
        };
    }

    /** {@code [-]h:mm:ss[.ffffff]} as a Duration. */
    public static Duration time(String s) {
        boolean negative = s.startsWith("-");
        String[] parts = (negative ? s.substring(1) : s).split(":");
        BigDecimal seconds = new BigDecimal(parts[2]);
        Duration d = Duration.ofHours(Long.parseLong(parts[0])).plusMinutes(Long.parseLong(parts[1]))
                .plusNanos(seconds.movePointRight(9).longValueExact());
        return negative ? d.negated() : d;
    }

    /** Fails naming every column whose decoded value differs from the expected one. */
    public static void assertRow(String what, Row actual, Object[] expected) {
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            Object a = actual.get(i);
            Object e = expected[i];
            if (!Objects.deepEquals(a, e)) {
                diffs.add(actual.schema().column(i).name() + ": decoded " + show(a) + ", expected " + show(e));
            }
        }
        if (!diffs.isEmpty()) {
            fail(what + " differs:\n  " + String.join("\n  ", diffs));
        }
    }

    private static String show(Object v) {
        if (v instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
    }
}
