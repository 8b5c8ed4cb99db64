package dev.canalboot.relay;

import dev.canalboot.internal.mysql.Vectors;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A model value as Canal writes it in a flat message: text, with {@code null} for SQL NULL. The inverse of
 * {@link dev.canalboot.canal.CanalValueConverter}: binary values one char per byte (ISO-8859-1), temporal
 * values with as many fraction digits as the column's precision, TIMESTAMP as local text in a zone (Canal
 * writes its JVM's), BIT(1) as {@code 1}/{@code 0}, ENUM as its element number and SET as its bit mask (as a
 * Canal 1.1.7 server writes them for MySQL 8). Stateless, thread-safe.
 */
public final class CanalColumnText {

    private final ZoneId zone;

    public CanalColumnText(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public @Nullable String value(Column column, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        return switch (column.type()) {
            case BIT -> value instanceof Boolean b ? (b ? "1" : "0") : Long.toUnsignedString(((Number) value).longValue());
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case DATE -> date((LocalDate) value);
            case DATETIME -> dateTime((LocalDateTime) value, column.scale());
            case TIMESTAMP -> dateTime(LocalDateTime.ofInstant((Instant) value, zone), column.scale());
            case TIME -> time((Duration) value, column.scale());
            case BINARY -> latin1(trailingZerosStripped((byte[]) value));
            case VARBINARY, BLOB, GEOMETRY -> latin1((byte[]) value);
            case VECTOR -> latin1(Vectors.toBytes((float[]) value));
            case ENUM -> column.elements().isEmpty() ? value.toString() : enumNumber(column, value.toString());
            case SET -> column.elements().isEmpty() ? String.join(",", ((Set<?>) value).stream().map(String::valueOf).toList())
                    : setMask(column, (Set<?>) value);
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, YEAR -> integer(value);
            default -> value instanceof byte[] bytes ? latin1(bytes) : value.toString();
        };
    }

    /**
     * The {@link Types} code a Canal 1.1.7 server gives a column of this type, as observed from one reading MySQL
     * 8.0.31. It differs with the change: for an INSERT or DELETE the sign plays no part, SET is BLOB and JSON
     * OTHER; for an UPDATE UNSIGNED integers go one size up, SET is BIT and JSON VARCHAR. ENUM is INTEGER, every
     * binary type BLOB.
     */
    public static int sqlType(Column column, ChangeType change) {
        boolean insert = change != ChangeType.UPDATE;
        boolean unsigned = column.unsigned() && !insert;
        return switch (column.type()) {
            case TINYINT -> unsigned ? Types.SMALLINT : Types.TINYINT;
            case SMALLINT -> unsigned ? Types.INTEGER : Types.SMALLINT;
            case MEDIUMINT, ENUM -> Types.INTEGER;
            case INT -> unsigned ? Types.BIGINT : Types.INTEGER;
            case BIGINT -> unsigned ? Types.DECIMAL : Types.BIGINT;
            case DECIMAL -> Types.DECIMAL;
            case FLOAT -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case BIT -> Types.BIT;
            case SET -> insert ? Types.BLOB : Types.BIT;
            case JSON -> insert ? Types.OTHER : Types.VARCHAR;
            case YEAR, VARCHAR -> Types.VARCHAR;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case DATETIME, TIMESTAMP -> Types.TIMESTAMP;
            case CHAR -> Types.CHAR;
            case TEXT -> Types.CLOB;
            case BINARY, VARBINARY, BLOB, GEOMETRY, VECTOR -> Types.BLOB;
            case UNKNOWN -> Types.OTHER;
        };
    }

    /** Canal writes an ENUM as its 1-based element number (0: the invalid value ''). */
    private static String enumNumber(Column column, String value) {
        int index = column.elements().indexOf(value);
        return Integer.toString(index + 1);
    }

    /** Canal writes a SET as the bit mask of its elements (bit i: element i, in declaration order). */
    private static String setMask(Column column, Set<?> value) {
        long mask = 0;
        for (Object element : value) {
            int index = column.elements().indexOf(String.valueOf(element));
            if (index >= 0) {
                mask |= 1L << index;
            }
        }
        return Long.toUnsignedString(mask);
    }

    private static String integer(Object value) {
        return value instanceof BigInteger big ? big.toString() : String.valueOf(((Number) value).longValue());
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The binlog carries BINARY(n) without its trailing zero bytes, and so does Canal's text. */
    private static byte[] trailingZerosStripped(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
    }

    private static String date(LocalDate date) {
        StringBuilder sb = new StringBuilder(10);
        pad(sb, date.getYear(), 4).append('-');
        pad(sb, date.getMonthValue(), 2).append('-');
        return pad(sb, date.getDayOfMonth(), 2).toString();
    }

    private static String dateTime(LocalDateTime value, int scale) {
        StringBuilder sb = new StringBuilder(26).append(date(value.toLocalDate())).append(' ');
        pad(sb, value.getHour(), 2).append(':');
        pad(sb, value.getMinute(), 2).append(':');
        pad(sb, value.getSecond(), 2);
        return fraction(sb, value.getNano(), scale).toString();
    }

    /** {@code [-]HH:MM:SS[.f]}: hours beyond 24 written as they are (TIME reaches 838). */
    private static String time(Duration value, int scale) {
        StringBuilder sb = new StringBuilder(18);
        Duration abs = value.abs();
        if (value.isNegative()) {
            sb.append('-');
        }
        pad(sb, abs.toHours(), 2).append(':');
        pad(sb, abs.toMinutesPart(), 2).append(':');
        pad(sb, abs.toSecondsPart(), 2);
        return fraction(sb, abs.toNanosPart(), scale).toString();
    }

    private static StringBuilder fraction(StringBuilder sb, int nanos, int scale) {
        if (scale <= 0) {
            return sb;
        }
        String digits = String.format("%09d", nanos);
        return sb.append('.').append(digits, 0, Math.min(scale, 9));
    }

    private static StringBuilder pad(StringBuilder sb, long value, int width) {
        String text = Long.toString(value);
        for (int i = text.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(text);
    }
}
