package dev.canalboot.internal.binlog.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads what a statement of a QUERY_EVENT is: transaction control, row-changing DML (statement-based
 * logging) or DDL, and for DDL the tables it names. A small tokenizer, no SQL parser: it understands the
 * statement heads the server writes ({@code CREATE/ALTER/DROP/RENAME/TRUNCATE TABLE}, {@code CREATE/DROP
 * INDEX ... ON}).
 */
public final class DdlStatements {

    /**
     * What a query event's statement does. {@code ACCOUNT}: it manages accounts or privileges ({@code GRANT},
     * {@code REVOKE}, {@code CREATE/ALTER/DROP/RENAME USER|ROLE}); the server logs it like DDL and it commits
     * implicitly, but it changes no table definition.
     */
    public enum Kind { BEGIN, COMMIT, ROLLBACK, IGNORED, DML, DDL, ACCOUNT }

    private DdlStatements() {
    }

    public static Kind kind(String sql) {
        List<String> words = tokens(sql, 4);
        if (words.isEmpty()) {
            return Kind.IGNORED;
        }
        String first = words.get(0).toUpperCase(Locale.ROOT);
        String second = words.size() > 1 ? words.get(1).toUpperCase(Locale.ROOT) : "";
        return switch (first) {
            case "BEGIN" -> Kind.BEGIN;
            case "START" -> second.equals("TRANSACTION") ? Kind.BEGIN : Kind.DDL;
            case "COMMIT" -> Kind.COMMIT;
            case "ROLLBACK" -> second.equals("TO") ? Kind.IGNORED : Kind.ROLLBACK;
            // XA START opens the branch whose XA_PREPARE event ends it; XA COMMIT/ROLLBACK of a prepared
            // branch carry no rows.
            case "XA" -> second.equals("START") || second.equals("BEGIN") ? Kind.BEGIN : Kind.IGNORED;
            case "SAVEPOINT", "RELEASE", "SET", "FLUSH" -> Kind.IGNORED;
            case "INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD" -> Kind.DML;
            case "GRANT", "REVOKE" -> Kind.ACCOUNT;
            case "CREATE", "ALTER", "DROP", "RENAME" -> {
                // MariaDB: CREATE OR REPLACE USER|ROLE
                String object = second.equals("OR") && words.size() > 3 ? words.get(3).toUpperCase(Locale.ROOT) : second;
                yield object.equals("USER") || object.equals("ROLE") ? Kind.ACCOUNT : Kind.DDL;
            }
            default -> Kind.DDL;
        };
    }

    /** Whether a statement manages accounts or privileges: {@link Kind#ACCOUNT}. */
    public static boolean isAccountManagement(String sql) {
        return kind(sql) == Kind.ACCOUNT;
    }

    /** Tables a DDL statement names as {@code {schema or null, table}} pairs, the affected table first. */
    public static List<String[]> tables(String sql) {
        List<String> t = tokens(sql, 64);
        List<String[]> tables = new ArrayList<>();
        int i = 0;
        String verb = upper(t, i++);
        switch (verb) {
            case "CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE" -> {
                // skip modifiers up to TABLE, or to INDEX ... ON
                while (i < t.size()) {
                    String w = upper(t, i);
                    if (w.equals("TABLE") || w.equals("TABLES")) {
                        i++;
                        break;
                    }
                    if (w.equals("INDEX") || w.equals("KEY")) {
                        int on = indexOf(t, "ON", i);
                        if (on < 0) {
                            return tables;
                        }
                        i = on + 1;
                        readName(t, i, tables);
                        return tables;
                    }
                    if (verb.equals("TRUNCATE")) {
                        break; // TRUNCATE name
                    }
                    if (!isModifier(w)) {
                        return tables; // CREATE VIEW, DROP DATABASE, ... : no table
                    }
                    i++;
                }
                if (upper(t, i).equals("IF")) {
                    i += upper(t, i + 1).equals("NOT") ? 3 : 2;
                }
                i = readName(t, i, tables);
                while ((verb.equals("DROP") || verb.equals("RENAME")) && i < t.size()) {
                    String sep = t.get(i);
                    if (sep.equals(",") || sep.equalsIgnoreCase("TO")) {
                        i = readName(t, i + 1, tables);
                    } else {
                        break;
                    }
                }
            }
            default -> { }
        }
        return tables;
    }

    private static boolean isModifier(String w) {
        return switch (w) {
            case "TEMPORARY", "OR", "REPLACE", "ONLINE", "OFFLINE", "IGNORE", "UNIQUE", "FULLTEXT", "SPATIAL" -> true;
            default -> false;
        };
    }

    private static int readName(List<String> t, int i, List<String[]> into) {
        if (i >= t.size() || isPunctuation(t.get(i))) {
            return i;
        }
        String first = t.get(i++);
        if (i + 1 < t.size() && t.get(i).equals(".") && !isPunctuation(t.get(i + 1))) {
            into.add(new String[] {unquote(first), unquote(t.get(i + 1))});
            return i + 2;
        }
        into.add(new String[] {null, unquote(first)});
        return i;
    }

    private static boolean isPunctuation(String s) {
        return s.equals(".") || s.equals(",") || s.equals("(") || s.equals(")") || s.equals(";");
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '`' || s.charAt(0) == '"')) {
            char q = s.charAt(0);
            return s.substring(1, s.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
        }
        return s;
    }

    private static int indexOf(List<String> t, String word, int from) {
        for (int i = from; i < t.size(); i++) {
            if (t.get(i).equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    private static String upper(List<String> t, int i) {
        return i < t.size() ? t.get(i).toUpperCase(Locale.ROOT) : "";
    }

    /** Up to {@code max} tokens: words, quoted identifiers, single punctuation; comments skipped. */
    static List<String> tokens(String sql, int max) {
        List<String> tokens = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n && tokens.size() < max) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                if (i + 2 < n && sql.charAt(i + 2) == '!') {
                    i += 3; // executable comment: its content is part of the statement
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                } else {
                    int end = sql.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                }
            } else if (c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                i += 2; // end of an executable comment
            } else if (c == '#' || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-'
                    && Character.isWhitespace(sql.charAt(i + 2)))) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '`' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                tokens.add(sql.substring(i, Math.min(j + 1, n)));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$')) {
                    j++;
                }
                tokens.add(sql.substring(i, j));
                i = j;
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }
}
