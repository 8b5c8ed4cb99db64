package dev.canalboot.internal.binlog.protocol;

import java.util.List;

/**
 * A text-protocol result: column names and rows of strings (SQL NULL is null). A statement without a
 * result set has no columns and no rows. A {@linkplain MySqlConnection#queryRaw raw} query hands its rows to the
 * caller as they arrive instead: its result holds the column names only.
 */
public record ResultSet(List<String> columns, List<List<String>> rows) {

    public ResultSet {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public static final ResultSet NONE = new ResultSet(List.of(), List.of());

    /** Index of the named column (case-insensitive); an error naming the columns there are if absent. */
    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Result has no column '" + name + "'; columns are " + columns);
    }

    /** The named column of the first row, or null when there is no row. */
    public String first(String column) {
        return rows.isEmpty() ? null : rows.get(0).get(columnIndex(column));
    }

    public String get(int row, String column) {
        return rows.get(row).get(columnIndex(column));
    }

    @Override
    public String toString() {
        return "ResultSet" + columns + " " + rows.size() + " rows";
    }
}
