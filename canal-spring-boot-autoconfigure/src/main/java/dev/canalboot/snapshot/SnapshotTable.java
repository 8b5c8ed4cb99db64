package dev.canalboot.snapshot;

import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.internal.mysql.MysqlCharsets;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.TableSchema;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A table as a snapshot reads it: its columns as the binlog decoder types them, the key it is chunked by, and
 * the chunk {@code SELECT}.
 */
final class SnapshotTable {

    /** One column as information_schema describes it. */
    record ColumnInfo(String name, String dataType, String columnType, String charset, boolean primaryKey) {
    }

    final String schema;
    final String table;
    /** The columns as information_schema described them when the shape was read. */
    final List<ColumnInfo> columns;
    final TableSchema tableSchema;
    /** Indexes of the key columns in {@link #tableSchema}, in key order. */
    final int[] key;
    /** {@code SELECT <columns> FROM <table>} of every chunk. */
    private final String selectFrom;
    /** The key columns, each qualified by the table, comma-separated in key order. */
    private final String qualifiedKeyColumns;

    SnapshotTable(String schema, String table, List<ColumnInfo> infos, List<String> keyColumns) {
        this.schema = schema;
        this.table = table;
        this.columns = List.copyOf(infos);
        List<Column> columns = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            ColumnInfo c = infos.get(i);
            MySqlTypeText type = MySqlTypeText.parse(c.columnType());
            boolean textual = type.type() == ColumnType.CHAR || type.type() == ColumnType.VARCHAR
                    || type.type() == ColumnType.TEXT || type.type() == ColumnType.ENUM || type.type() == ColumnType.SET;
            Charset charset = textual && c.charset() != null && !"binary".equals(c.charset())
                    ? MysqlCharsets.forName(c.charset()) : null;
            ColumnType family = type.type();
            if (textual && "binary".equals(c.charset())) {
                family = family == ColumnType.TEXT ? ColumnType.BLOB : family == ColumnType.CHAR ? ColumnType.BINARY
                        : family == ColumnType.VARCHAR ? ColumnType.VARBINARY : family;
            }
            columns.add(new Column(c.name(), i, family, type.unsigned(), type.length(), type.scale(),
                    charset == null ? null : charset.name(), c.primaryKey(), type.elements()));
        }
        this.tableSchema = new TableSchema(schema, table, columns);
        this.key = new int[keyColumns.size()];
        for (int k = 0; k < key.length; k++) {
            int index = tableSchema.indexOf(keyColumns.get(k));
            if (index < 0) {
                throw new SnapshotException("Snapshot of " + qualifiedName() + ": key column '" + keyColumns.get(k)
                        + "' is not a column of the table; its columns are " + names());
            }
            ColumnType t = tableSchema.column(index).type();
            if (t == ColumnType.ENUM || t == ColumnType.SET || t == ColumnType.JSON || t == ColumnType.GEOMETRY
                    || t == ColumnType.VECTOR
                    || t == ColumnType.UNKNOWN) {
                throw new SnapshotException("Snapshot of " + qualifiedName() + ": key column " + keyColumns.get(k)
                        + " is of type " + t + ", whose SQL comparison does not follow its index order; name other"
                        + " key columns in snapshot.key-columns");
            }
            key[k] = index;
        }
        this.selectFrom = buildSelectFrom();
        this.qualifiedKeyColumns = buildQualifiedKeyColumns();
    }

    String qualifiedName() {
        return schema + "." + table;
    }

    List<String> names() {
        return tableSchema.columns().stream().map(Column::name).toList();
    }

    static String quoteName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    String from() {
        return quoteName(schema) + "." + quoteName(table);
    }

    /** The text MariaDB reads back as the UUID/INET6/INET4 whose {@code CAST(col AS BINARY(n))} bytes these are. */
    static String mariaDbText(String dataType, byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes);
        return switch (dataType.toLowerCase(java.util.Locale.ROOT)) {
            case "uuid" -> hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
            case "inet4" -> (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
            default -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 32; i += 4) {
                    sb.append(i == 0 ? "" : ":").append(hex, i, i + 4);
                }
                yield sb.toString();
            }
        };
    }

    /** {@code SELECT} of the rows after {@code afterKey} (all rows from the first when null), in key order. */
    String chunkQuery(List<String> afterKey, int limit) {
        StringBuilder sql = new StringBuilder(selectFrom);
        // Key columns qualified: an alias of the select list (a cast) must not stand for the column here.
        if (afterKey != null) {
            sql.append(" WHERE (").append(qualifiedKeyColumns).append(") > (").append(String.join(", ", afterKey))
                    .append(')');
        }
        return sql.append(" ORDER BY ").append(qualifiedKeyColumns).append(" LIMIT ").append(limit).toString();
    }

    /** The select list of the chunk queries, with the table: fixed per shape. */
    private String buildSelectFrom() {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < tableSchema.size(); i++) {
            Column c = tableSchema.column(i);
            String name = quoteName(c.name());
            sql.append(i == 0 ? "" : ", ");
            if (c.type() == ColumnType.BIT) {
                // the text protocol sends BIT as raw bytes; as a number it parses like the rest
                sql.append(name).append(" + 0");
            } else if (c.type() == ColumnType.FLOAT) {
                // SELECT prints a FLOAT with 6 digits, which need not read back as the float stored (the binlog's
                // value): 1.2345678 is printed 1.23457. As a double it prints exactly.
                sql.append("CAST(").append(name).append(" AS DOUBLE) AS ").append(name);
            } else if (MySqlTypeText.isMariaDbBinaryType(columns.get(i).dataType())) {
                // MariaDB's UUID/INET4/INET6 come as text; the binlog has their bytes, which this cast gives.
                sql.append("CAST(").append(name).append(" AS BINARY(").append(c.length()).append(")) AS ").append(name);
            } else {
                sql.append(name);
            }
        }
        return sql.append(" FROM ").append(from()).toString();
    }

    /** The key columns, each qualified by the table, comma-separated in key order. */
    private String buildQualifiedKeyColumns() {
        StringBuilder columns = new StringBuilder();
        for (int k = 0; k < key.length; k++) {
            columns.append(k == 0 ? "" : ", ").append(from()).append('.')
                    .append(quoteName(tableSchema.column(key[k]).name()));
        }
        return columns.toString();
    }

    /** The SQL literal of a key cell as the text protocol sent it (it compares as the column does). */
    String literal(int keyIndex, byte[] cell) {
        Column c = tableSchema.column(key[keyIndex]);
        String dataType = columns.get(key[keyIndex]).dataType();
        if (MySqlTypeText.isMariaDbBinaryType(dataType)) {
            // Compared as its own type: a binary literal would compare otherwise than the column's order.
            return "'" + mariaDbText(dataType, cell) + "'";
        }
        return switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, DECIMAL, FLOAT, DOUBLE, YEAR, BIT ->
                    new String(cell, java.nio.charset.StandardCharsets.US_ASCII);
            case BINARY, VARBINARY, BLOB -> "X'" + HexFormat.of().formatHex(cell) + "'";
            case DATE, TIME, DATETIME, TIMESTAMP -> "'" + new String(cell, java.nio.charset.StandardCharsets.US_ASCII) + "'";
            // The connection's character set is utf8mb4: a literal in it compares by the column's collation.
            default -> "_utf8mb4 X'" + HexFormat.of().formatHex(cell) + "'";
        };
    }
}
