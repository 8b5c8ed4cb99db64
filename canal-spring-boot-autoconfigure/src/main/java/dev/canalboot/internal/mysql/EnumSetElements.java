package dev.canalboot.internal.mysql;

import java.util.ArrayList;
import java.util.List;

/**
 * The element list of an ENUM or SET column type as the server writes it: information_schema
 * {@code COLUMN_TYPE} (read by the binlog source for tables whose table map carries no names) and the
 * {@code mysqlType} text a Canal server forwards, e.g. {@code enum('a','it''s','x,y')}.
 *
 * <p>The server writes each element as a single-quoted SQL string: a quote is doubled ({@code ''}) and a
 * backslash, NUL, newline or carriage return is written as {@code \\}, {@code \0}, {@code \n}, {@code \r}.
 * Elements are read back with MySQL's string literal rules, so any escape a server writes is understood:
 * {@code \0 \' \" \b \n \r \t \Z \\} stand for their character, {@code \%} and {@code \_} stay as written
 * (backslash kept), and before any other character the backslash is dropped.
 *
 * <p>Malformed text is an {@link IllegalArgumentException} naming the text and what is wrong, never a
 * partial list: no {@code (}, an element that is not quoted, a quote or escape left open, or elements not
 * separated by {@code ,} or not closed by {@code )}. Blanks between elements are allowed, {@code enum()}
 * is the empty list, and what follows the closing parenthesis is not looked at.
 */
public final class EnumSetElements {

    private EnumSetElements() {
    }

    /** The elements of {@code columnType} in declaration order, e.g. {@code set('r','w')} → [r, w]. */
    public static List<String> parse(String columnType) {
        if (columnType == null) {
            throw new IllegalArgumentException("ENUM/SET column type is missing");
        }
        int open = columnType.indexOf('(');
        if (open < 0) {
            throw new IllegalArgumentException("ENUM/SET column type '" + columnType + "' has no element list");
        }
        List<String> elements = new ArrayList<>();
        int i = skipBlanks(columnType, open + 1);
        if (i < columnType.length() && columnType.charAt(i) == ')') {
            return elements;
        }
        StringBuilder element = new StringBuilder();
        while (true) {
            if (i >= columnType.length() || columnType.charAt(i) != '\'') {
                throw malformed(columnType, i, "an unquoted element");
            }
            i = quoted(columnType, i + 1, element);
            elements.add(element.toString());
            element.setLength(0);
            i = skipBlanks(columnType, i);
            char next = i < columnType.length() ? columnType.charAt(i) : 0;
            if (next == ')') {
                return elements;
            }
            if (next != ',') {
                throw malformed(columnType, i, "no ',' or ')' after element " + elements.size());
            }
            i = skipBlanks(columnType, i + 1);
        }
    }

    /** Reads one element from just after its opening quote into {@code out}; returns the index after its close. */
    private static int quoted(String text, int start, StringBuilder out) {
        int i = start;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'') {
                if (i + 1 < n && text.charAt(i + 1) == '\'') {
                    out.append('\'');
                    i += 2;
                } else {
                    return i + 1;
                }
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    break;
                }
                char escaped = text.charAt(i + 1);
                switch (escaped) {
                    case '0' -> out.append('\0');
                    case 'b' -> out.append('\b');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'Z' -> out.append('\u001a');
                    case '%', '_' -> out.append('\\').append(escaped);
                    default -> out.append(escaped);
                }
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        throw malformed(text, start - 1, "an unterminated element");
    }

    private static int skipBlanks(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static IllegalArgumentException malformed(String columnType, int at, String problem) {
        return new IllegalArgumentException("ENUM/SET column type '" + columnType + "' has " + problem
                + " at offset " + at);
    }
}
