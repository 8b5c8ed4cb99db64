package dev.canalboot.listener.container;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One {@link dev.canalboot.listener.CanalListener#table()} pattern: {@code schema.table} with {@code *} wildcards inside either
 * part (case-insensitive), or {@code regex:} followed by a Java regex over the whole {@code schema.table}.
 */
public final class TablePattern {

    public static final String REGEX_PREFIX = "regex:";

    private final String text;
    private final Pattern schemaPart;
    private final Pattern tablePart;
    private final Pattern regex;
    /** The schema or table part when it has no wildcard, else {@code null}. */
    private final @Nullable String exactSchema;
    private final @Nullable String exactTable;

    private TablePattern(String text, String schema, String table, Pattern regex) {
        this.text = text;
        this.regex = regex;
        this.schemaPart = schema == null ? null : wildcard(schema);
        this.tablePart = table == null ? null : wildcard(table);
        this.exactSchema = schema == null || schema.indexOf('*') >= 0 ? null : schema;
        this.exactTable = table == null || table.indexOf('*') >= 0 ? null : table;
    }

    /** @throws IllegalArgumentException naming the pattern and what is wrong with it */
    public static TablePattern parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty table pattern");
        }
        if (value.startsWith(REGEX_PREFIX)) {
            String expression = value.substring(REGEX_PREFIX.length());
            if (expression.isEmpty()) {
                throw new IllegalArgumentException("table pattern '" + value + "' has no regex after '" + REGEX_PREFIX + "'");
            }
            try {
                return new TablePattern(value, null, null, Pattern.compile(expression));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("table pattern '" + value + "' is not a valid regex: "
                        + e.getDescription(), e);
            }
        }
        int dot = value.indexOf('.');
        if (dot <= 0 || dot == value.length() - 1 || value.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("table pattern '" + value
                    + "' must be schema.table (with * wildcards) or start with '" + REGEX_PREFIX + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                throw new IllegalArgumentException("table pattern '" + value + "' contains whitespace");
            }
        }
        return new TablePattern(value, value.substring(0, dot), value.substring(dot + 1), null);
    }

    private static Pattern wildcard(String part) {
        StringBuilder sb = new StringBuilder();
        int start = 0;
        for (int star = part.indexOf('*'); star >= 0; star = part.indexOf('*', start)) {
            sb.append(Pattern.quote(part.substring(start, star))).append(".*");
            start = star + 1;
        }
        sb.append(Pattern.quote(part.substring(start)));
        return Pattern.compile(sb.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    public boolean matches(String schema, String table) {
        if (regex != null) {
            return regex.matcher(schema + "." + table).matches();
        }
        return matches(schemaPart, exactSchema, schema) && matches(tablePart, exactTable, table);
    }

    /** Plain names compare without a regex: this runs for every event and listener. */
    private static boolean matches(Pattern pattern, String exact, String value) {
        return exact != null ? exact.equalsIgnoreCase(value) : pattern.matcher(value).matches();
    }

    /** Whether some table of {@code schema} could match (for DDL that names no table). */
    public boolean matchesSchema(String schema) {
        if (regex != null) {
            Matcher matcher = regex.matcher(schema + ".");
            // hitEnd: the input ran out while matching, so a longer "schema.table" could still match.
            return matcher.matches() || matcher.hitEnd();
        }
        return matches(schemaPart, exactSchema, schema);
    }

    /** Whether this pattern names exactly one table (no wildcard, no regex). */
    public boolean isExact() {
        return regex == null && text.indexOf('*') < 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
