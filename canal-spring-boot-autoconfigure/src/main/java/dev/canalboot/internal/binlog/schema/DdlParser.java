package dev.canalboot.internal.binlog.schema;

import com.alibaba.druid.DbType;
import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLStatement;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the DDL statements the binlog carries with Druid's MySQL parser. Executable comments
 * ({@code /*!80013 ... *}{@code /}, MariaDB's {@code /*M!100100 ... *}{@code /}) are statement text to the server that
 * wrote them: their content is kept and the comment marks dropped before parsing.
 */
final class DdlParser {

    private DdlParser() {
    }

    /**
     * @throws UnparseableDdlException when the parser does not understand the statement
     */
    static List<SQLStatement> parse(String sql) {
        return parseDdl(sql).statements();
    }

    /**
     * @param statements what the statement says
     * @param conditional whether it had MariaDB's {@code IF [NOT] EXISTS} on a column clause: a column added that
     *                    exists already, or dropped/changed that does not exist, was then skipped by the server
     */
    record Parsed(List<SQLStatement> statements, boolean conditional) {
    }

    static Parsed parseDdl(String sql) {
        String text = unwrapExecutableComments(sql);
        String plain = withoutMariaDbConditions(text);
        try {
            return new Parsed(SQLUtils.parseStatements(plain, DbType.mysql), !plain.equals(text));
        } catch (RuntimeException e) {
            // Only a statement the parser refuses is rewritten: what it reads as written stays as written.
            String rewritten = charsetSpelledOut(withoutColumnVisibility(plain));
            if (!rewritten.equals(plain)) {
                try {
                    return new Parsed(SQLUtils.parseStatements(rewritten, DbType.mysql), !plain.equals(text));
                } catch (RuntimeException ignored) {
                    // the original statement's error says more
                }
            }
            throw new UnparseableDdlException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private static final Pattern SYSTEM_VERSIONING = Pattern.compile("(?i)\\bSYSTEM\\s+VERSIONING\\b|\\bSYSTEM_TIME\\b");

    /** Whether the statement (outside quotes) speaks of MariaDB's system versioning. */
    static boolean systemVersioning(String sql) {
        return SYSTEM_VERSIONING.matcher(maskQuoted(unwrapExecutableComments(sql))).find();
    }

    private static final Pattern CHARSET_WORD = Pattern.compile("(?i)\\bCHARSET\\b");

    /**
     * {@code CHARSET} as {@code CHARACTER SET} outside quotes: the parser reads the long form of a table's
     * {@code [DEFAULT] CHARSET [=] x} in ALTER TABLE only.
     */
    static String charsetSpelledOut(String sql) {
        Matcher m = CHARSET_WORD.matcher(maskQuoted(sql));
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int from = 0;
        while (m.find()) {
            out.append(sql, from, m.start()).append("CHARACTER SET");
            from = m.end();
        }
        return out.append(sql, from, sql.length()).toString();
    }

    private static final Pattern VISIBILITY = Pattern.compile("(?i)\\b(?:IN)?VISIBLE\\b");
    private static final Pattern TOKEN_BEFORE = Pattern.compile("(\\w+|\\S)\\s*$");
    private static final Pattern TOKEN_AFTER = Pattern.compile("^\\s*(\\w+|\\S)?");
    private static final java.util.Set<String> NAME_BEFORE = java.util.Set.of("ADD", "COLUMN", "DROP", "TO", "AFTER",
            "CHANGE", "MODIFY", "SET", "INDEX", "KEY", "TABLE", "(", ",", ".", "`");
    private static final java.util.Set<String> ATTRIBUTE_AFTER = java.util.Set.of(",", ")", ";", "NOT", "NULL",
            "DEFAULT", "COMMENT", "AFTER", "FIRST", "PRIMARY", "UNIQUE", "KEY", "AUTO_INCREMENT", "COLLATE", "CHECK",
            "REFERENCES", "STORAGE", "COLUMN_FORMAT", "ON", "GENERATED", "AS", "INVISIBLE", "VISIBLE", "CONSTRAINT");

    /**
     * The statement without the {@code INVISIBLE}/{@code VISIBLE} attribute of column definitions (MySQL 8.0.23+,
     * MariaDB 10.3+), which the parser does not know: an invisible column is an ordinary column to the binlog (it
     * is in every row image and in information_schema), so the history keeps it like any other. The word goes only
     * where it follows a column's type or attribute and precedes another attribute or the clause's end; a column
     * or index named {@code visible}, and {@code ALTER COLUMN c SET INVISIBLE} / {@code ALTER INDEX i INVISIBLE}
     * (which the parser reads) are left alone. Text inside quotes is left alone.
     */
    static String withoutColumnVisibility(String sql) {
        String masked = maskQuoted(sql);
        StringBuilder out = new StringBuilder(sql.length());
        Matcher m = VISIBILITY.matcher(masked);
        int from = 0;
        while (m.find()) {
            Matcher before = TOKEN_BEFORE.matcher(masked.substring(0, m.start()));
            Matcher after = TOKEN_AFTER.matcher(masked.substring(m.end()));
            String previous = before.find() ? before.group(1).toUpperCase(java.util.Locale.ROOT) : "";
            String next = after.find() && after.group(1) != null ? after.group(1).toUpperCase(java.util.Locale.ROOT) : "";
            String head = masked.substring(0, m.start()).toUpperCase(java.util.Locale.ROOT);
            boolean alterIndex = head.matches("(?s).*\\b(?:INDEX|KEY)\\s+\\S+\\s*$");
            if (previous.isEmpty() || NAME_BEFORE.contains(previous) || alterIndex
                    || !(next.isEmpty() || ATTRIBUTE_AFTER.contains(next))) {
                continue;
            }
            out.append(sql, from, m.start()).append(" ".repeat(m.end() - m.start()));
            from = m.end();
        }
        return out.append(sql, from, sql.length()).toString();
    }

    private static final Pattern CLAUSE_CONDITION = Pattern.compile("(?i)\\b(ADD|DROP|MODIFY|CHANGE|RENAME)"
            + "(\\s+(?:COLUMN|INDEX|KEY|CONSTRAINT|PARTITION|FOREIGN\\s+KEY|UNIQUE(?:\\s+(?:INDEX|KEY))?))?"
            + "\\s+IF\\s+(?:NOT\\s+)?EXISTS\\b");
    private static final Pattern CREATE_OR_REPLACE = Pattern.compile("(?i)^(\\s*CREATE\\s+)OR\\s+REPLACE\\s+"
            + "((?:TEMPORARY\\s+)?TABLE\\b)");

    /**
     * MariaDB's {@code ADD COLUMN IF NOT EXISTS}, {@code DROP/MODIFY/CHANGE COLUMN IF EXISTS} (and the same on
     * indexes) and {@code CREATE OR REPLACE TABLE}, which the parser does not know, as the plain MySQL clauses:
     * the conditions are honoured by the applier ({@link Parsed#conditional()}), and a replaced table is a created
     * one. Text inside quotes is left alone.
     */
    static String withoutMariaDbConditions(String sql) {
        String masked = maskQuoted(sql);
        StringBuilder out = new StringBuilder(sql.length());
        Matcher replace = CREATE_OR_REPLACE.matcher(masked);
        int from = 0;
        if (replace.find()) {
            out.append(sql, 0, replace.end(1)).append(sql, replace.start(2), replace.end(2));
            from = replace.end();
        }
        Matcher m = CLAUSE_CONDITION.matcher(masked);
        m.region(from, masked.length());
        while (m.find()) {
            out.append(sql, from, m.start()).append(sql, m.start(1), m.end(1));
            if (m.group(2) != null) {
                out.append(sql, m.start(2), m.end(2));
            }
            from = m.end();
        }
        return out.append(sql, from, sql.length()).toString();
    }

    /** The statement with the content of quoted strings and identifiers blanked (same length). */
    private static String maskQuoted(String sql) {
        char[] chars = sql.toCharArray();
        int i = 0;
        while (i < chars.length) {
            char c = chars[i];
            if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < chars.length) {
                    if (chars[j] == '\\' && c != '`') {
                        chars[j] = ' ';
                        if (j + 1 < chars.length) {
                            chars[j + 1] = ' ';
                        }
                        j += 2;
                        continue;
                    }
                    if (chars[j] == c) {
                        if (j + 1 < chars.length && chars[j + 1] == c) {
                            chars[j] = ' ';
                            chars[j + 1] = ' ';
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    chars[j] = ' ';
                    j++;
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return new String(chars);
    }

    /** The statement with {@code /*!NNNNN} / {@code /*M!NNNNNN} and their closing marks removed; quotes respected. */
    static String unwrapExecutableComments(String sql) {
        if (!sql.contains("/*!") && !sql.contains("/*M!")) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length());
        int n = sql.length();
        int open = 0; // executable comments being read
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == '\\' && c != '`') {
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                out.append(sql, i, Math.min(j + 1, n));
                i = j + 1;
            } else if (sql.startsWith("/*!", i) || sql.startsWith("/*M!", i)) {
                i += sql.charAt(i + 2) == 'M' ? 4 : 3;
                while (i < n && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
                open++;
                out.append(' ');
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end + 2;
                out.append(sql, i, stop);
                i = stop;
            } else if (open > 0 && c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                open--;
                out.append(' ');
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
