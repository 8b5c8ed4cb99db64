package dev.canalboot.canal;

import dev.canalboot.internal.mysql.Vectors;
import dev.canalboot.model.Column;
import dev.canalboot.model.ZeroDatePolicy;

import org.jspecify.annotations.Nullable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns Canal's text rendering of a column value into the model's Java value
 * ({@link dev.canalboot.model.ColumnType#javaType(Column)}), so that a listener gets the same objects as
 * from the binlog source. Stateless and thread-safe.
 * <p>
 * Canal renders binary columns as ISO-8859-1 strings (one char per byte) and TIMESTAMP in the Canal
 * server JVM's time zone, which is why that zone is a setting here.
 */
public final class CanalValueConverter {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final ZoneId serverZone;
    /** The zone's offset when it has only one (UTC, +08:00, ...), else null. */
    private final @Nullable ZoneOffset fixedOffset;
    private final ZeroDatePolicy zeroDates;
    private @Nullable LastDate lastDate;

    public CanalValueConverter(ZoneId serverZone, ZeroDatePolicy zeroDates) {
        this.serverZone = Objects.requireNonNull(serverZone, "serverZone");
        ZoneRules rules = serverZone.getRules();
        this.fixedOffset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH) : null;
        this.zeroDates = Objects.requireNonNull(zeroDates, "zeroDates");
    }

    /**
     * The typed value of {@code text} for {@code column}; {@code null} when {@code isNull}.
     *
     * @throws IllegalArgumentException naming the column, its type and the value when the text does not fit
     */
    public @Nullable Object convert(Column column, @Nullable String text, boolean isNull) {
        if (isNull || text == null) {
            return null;
        }
        return convertText(column, text);
    }

    private Object convertText(Column column, String text) {
        try {
            return switch (column.type()) {
                case TINYINT, SMALLINT, MEDIUMINT, INT -> convertInteger(column, Long.parseLong(text));
                case BIGINT -> column.unsigned() ? unsignedBigint(text) : (Object) Long.parseLong(text);
                case DECIMAL -> new BigDecimal(text).setScale(column.scale());
                case FLOAT -> Float.valueOf(text);
                case DOUBLE -> Double.valueOf(text);
                case BIT -> bit(column, text);
                case YEAR -> Integer.valueOf(text);
                case DATE -> {
                    if (text.length() != 10) {
                        throw invalid(column, text, "expected yyyy-MM-dd", null);
                    }
                    yield datePart(column, text);
                }
                case TIME -> time(text);
                case DATETIME -> dateTime(column, text);
                case TIMESTAMP -> {
                    LocalDateTime local = dateTime(column, text);
                    yield local == null ? null : fixedOffset != null ? local.toInstant(fixedOffset)
                            : local.atZone(serverZone).toInstant();
                }
                case BINARY -> padded(text.getBytes(StandardCharsets.ISO_8859_1), column.length());
                case VARBINARY, BLOB, GEOMETRY -> text.getBytes(StandardCharsets.ISO_8859_1);
                case VECTOR -> Vectors.fromBytes(text.getBytes(StandardCharsets.ISO_8859_1), column.name());
                case ENUM -> enumValue(column, text);
                case SET -> setValue(column, text);
                case JSON -> CanalJsonText.asMySqlPrintsIt(text);
                case CHAR, VARCHAR, TEXT, UNKNOWN -> text;
            };
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            throw invalid(column, text, e.getMessage(), e);
        }
    }

    /**
     * The value of a TINYINT, SMALLINT, MEDIUMINT, INT or signed BIGINT column whose text is the number {@code value}
     * (parsed by the caller): exactly what {@link #convert} gives for its text, range checks included.
     *
     * @throws IllegalArgumentException as {@link #convert} does for a value out of the column's range
     */
    public Object convertInteger(Column column, long value) {
        try {
            return switch (column.type()) {
                case TINYINT -> (int) integer(value, column.unsigned(), 8);
                case SMALLINT -> (int) integer(value, column.unsigned(), 16);
                case MEDIUMINT -> (int) integer(value, column.unsigned(), 24);
                case INT -> column.unsigned() ? (Object) integer(value, true, 32) : (Object) (int) integer(value, false, 32);
                case BIGINT -> {
                    if (column.unsigned()) {
                        throw new IllegalArgumentException("BIGINT UNSIGNED needs convert(): " + column.name());
                    }
                    yield value;
                }
                default -> throw new IllegalArgumentException("Column " + column.name() + " (" + column.type()
                        + ") is not an integer column");
            };
        } catch (NumberFormatException e) {
            throw invalid(column, Long.toString(value), e.getMessage(), e);
        }
    }

    /** Signed or unsigned integer of {@code bits} width; Canal may render unsigned values in two's complement. */
    private static long integer(long value, boolean unsigned, int bits) {
        if (unsigned && value < 0) {
            value += 1L << bits;
        }
        long min = unsigned ? 0 : -(1L << (bits - 1));
        long max = unsigned ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
        if (value < min || value > max) {
            throw new NumberFormatException("out of range for a " + bits + "-bit " + (unsigned ? "unsigned " : "")
                    + "integer");
        }
        return value;
    }

    private static BigInteger unsignedBigint(String text) {
        BigInteger value = new BigInteger(text);
        if (value.signum() < 0) {
            value = value.add(TWO_TO_64);
        }
        if (value.signum() < 0 || value.bitLength() > 64) {
            throw new NumberFormatException("out of range for a BIGINT UNSIGNED");
        }
        return value;
    }

    private Object bit(Column column, String text) {
        long value = Long.parseUnsignedLong(text);
        return column.length() == 1 ? (Object) (value != 0) : (Object) value;
    }

    /** MySQL strips trailing zero bytes of BINARY(n) in the binlog; SELECT returns all n bytes. */
    private static byte[] padded(byte[] bytes, int length) {
        return bytes.length < length ? Arrays.copyOf(bytes, length) : bytes;
    }

    /** The date in the first ten characters; a zero date follows the policy, reporting the whole text. */
    private @Nullable LocalDate datePart(Column column, String text) {
        if (text.length() < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            throw invalid(column, text, "expected yyyy-MM-dd", null);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        if (month == 0 || day == 0) {
            return zeroDate(column, text);
        }
        LastDate last = lastDate;
        if (last != null && last.year == year && last.month == month && last.day == day) {
            return last.date;
        }
        LocalDate date = LocalDate.of(year, month, day);
        lastDate = new LastDate(year, month, day, date);
        return date;
    }

    /**
     * The last date converted: rows read in key order often share the date part, and LocalDate.of's validation
     * was a tenth of a snapshot's typing. Immutable, so a converter shared by threads sees a whole one or none.
     */
    private record LastDate(int year, int month, int day, LocalDate date) {
    }

    private @Nullable LocalDateTime dateTime(Column column, String text) {
        if (text.length() < 19 || text.charAt(10) != ' ' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            throw invalid(column, text, "expected yyyy-MM-dd HH:mm:ss[.ffffff]", null);
        }
        LocalDate date = datePart(column, text);
        if (date == null) {
            return null;
        }
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        return date.atTime(hour, minute, second, fraction(text, 19));
    }

    /** {@code [-]H+:MM:SS[.ffffff]}: TIME spans -838:59:59 to 838:59:59, so it is a Duration. */
    private static Duration time(String text) {
        boolean negative = text.length() > 0 && text.charAt(0) == '-';
        int start = negative ? 1 : 0;
        int firstColon = text.indexOf(':', start);
        if (firstColon < 0 || text.length() < firstColon + 6 || text.charAt(firstColon + 3) != ':') {
            throw new NumberFormatException("expected [-]HH:MM:SS[.ffffff]");
        }
        long hours = Long.parseLong(text, start, firstColon, 10);
        int minutes = digits(text, firstColon + 1, firstColon + 3);
        int seconds = digits(text, firstColon + 4, firstColon + 6);
        Duration duration = Duration.ofSeconds(hours * 3600 + minutes * 60L + seconds, fraction(text, firstColon + 6));
        return negative ? duration.negated() : duration;
    }

    /** Nanoseconds of an optional {@code .f{1,9}} suffix starting at {@code from}. */
    private static int fraction(String text, int from) {
        if (from == text.length()) {
            return 0;
        }
        if (text.charAt(from) != '.' || text.length() - from - 1 > 9 || text.length() - from < 2) {
            throw new NumberFormatException("bad fractional seconds '" + text.subSequence(from, text.length()) + "'");
        }
        int nanos = digits(text, from + 1, text.length());
        for (int i = text.length() - from - 1; i < 9; i++) {
            nanos *= 10;
        }
        return nanos;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("'" + c + "' where a digit belongs");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private <T> @Nullable T zeroDate(Column column, String text) {
        if (zeroDates == ZeroDatePolicy.ERROR) {
            throw invalid(column, text, "zero date (zero-date policy is ERROR)", null);
        }
        return null;
    }

    /** Canal sends the element name; a number is an element index (1-based, 0 = the invalid value ''). */
    private static String enumValue(Column column, String text) {
        List<String> elements = column.elements();
        if (elements.isEmpty() || elements.contains(text) || text.isEmpty() || !isNumber(text)) {
            return text;
        }
        int index = Integer.parseInt(text);
        if (index == 0) {
            return "";
        }
        if (index > elements.size()) {
            throw new NumberFormatException("enum index " + index + " beyond the " + elements.size() + " elements");
        }
        return elements.get(index - 1);
    }

    /** Comma-separated element names, or a bit mask over the elements; ordered as declared. */
    private static Set<String> setValue(Column column, String text) {
        if (text.isEmpty()) {
            return Set.of();
        }
        List<String> elements = column.elements();
        List<String> names = Arrays.asList(text.split(",", -1));
        if (!elements.isEmpty() && !elements.containsAll(names) && isNumber(text)) {
            long mask = Long.parseUnsignedLong(text);
            Set<String> set = new LinkedHashSet<>();
            for (int i = 0; i < elements.size(); i++) {
                if ((mask & (1L << i)) != 0) {
                    set.add(elements.get(i));
                }
            }
            return Collections.unmodifiableSet(set);
        }
        Set<String> set = new LinkedHashSet<>();
        if (elements.isEmpty()) {
            set.addAll(names);
        } else {
            for (String element : elements) {
                if (names.contains(element)) {
                    set.add(element);
                }
            }
            if (set.size() != names.size()) {
                throw new NumberFormatException("names not among the SET elements " + elements);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    private static boolean isNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static IllegalArgumentException invalid(Column column, String text, String why,
                                                    @Nullable Throwable cause) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new IllegalArgumentException("Column " + column.name() + " (" + column.type()
                + (column.unsigned() ? " UNSIGNED" : "") + ") cannot hold '" + shown + "': " + why, cause);
    }
}
