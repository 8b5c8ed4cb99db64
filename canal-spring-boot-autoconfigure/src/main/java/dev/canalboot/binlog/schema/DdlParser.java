package dev.canalboot.binlog.schema;

import com.alibaba.druid.DbType;
import com.alibaba.druid.sql.SQLUtils;
import com.alibaba.druid.sql.ast.SQLStatement;

import java.util.List;

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
        String text = unwrapExecutableComments(sql);
        try {
            return SQLUtils.parseStatements(text, DbType.mysql);
        } catch (RuntimeException e) {
            throw new UnparseableDdlException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
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
