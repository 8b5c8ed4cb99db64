package dev.canalboot.relay;

import dev.canalboot.canal.FlatMessage;

import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TableSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds Canal flat messages from model events: one message per run of rows of one table, change type and
 * binlog event (Canal's one message per rows event), one per DDL. Messages carry what Canal 1.1.7 writes:
 * {@code data} (after image, a DELETE's before image), {@code old} (per UPDATE row the changed columns before,
 * omitted for a row where none changed), {@code pkNames} ({@code null} for a table without primary key),
 * {@code sqlType}/{@code mysqlType}, empty {@code sql} for rows.
 */
public final class FlatMessages {

    private final CanalColumnText text;

    public FlatMessages(CanalColumnText text) {
        this.text = text;
    }

    /** The message of a run of rows sharing table, type and position (the caller groups them). */
    public FlatMessage rows(long batchId, List<RowChange> rows) {
        RowChange first = rows.get(0);
        TableSchema table = first.tableSchema();
        Map<String, Integer> sqlType = new LinkedHashMap<>();
        Map<String, String> mysqlType = new LinkedHashMap<>();
        for (Column column : table.columns()) {
            sqlType.put(column.name(), CanalColumnText.sqlType(column, first.type()));
            mysqlType.put(column.name(), MySqlTypeText.of(column).text());
        }
        List<Map<String, String>> data = new ArrayList<>(rows.size());
        List<Map<String, String>> old = new ArrayList<>();
        for (RowChange row : rows) {
            data.add(values(row.row(), null));
            if (row.before() != null && row.after() != null) {
                Map<String, String> changed = values(row.before(), row.changedColumns());
                if (!changed.isEmpty()) {
                    old.add(changed);
                }
            }
        }
        List<String> pk = first.primaryKey();
        return new FlatMessage(batchId, first.schema(), first.table(), pk.isEmpty() ? null : List.copyOf(pk), false,
                canalType(first.type()), first.timestamp().toEpochMilli(), System.currentTimeMillis(), "", sqlType,
                mysqlType, data, old.isEmpty() ? null : old, first.position().gtid());
    }

    /** Canal's name of a change type: Canal has no snapshot rows, and its consumers take them as inserts. */
    static String canalType(ChangeType type) {
        return type == ChangeType.SNAPSHOT ? ChangeType.INSERT.name() : type.name();
    }

    /** The message of one DDL. */
    public FlatMessage ddl(long batchId, SchemaChange ddl) {
        // The table's own schema and name where the history knows them: a statement may name a table of another
        // schema than its default one.
        String schema = ddl.after() != null ? ddl.after().schema() : ddl.before() != null ? ddl.before().schema()
                : ddl.schema();
        // A rename names the new table, as Canal does.
        String table = ddl.after() != null ? ddl.after().table() : ddl.table();
        return new FlatMessage(batchId, schema, table, null, true, ddlType(ddl.sql()),
                ddl.timestamp().toEpochMilli(), System.currentTimeMillis(), ddl.sql(), null, null, null, null,
                ddl.position().gtid());
    }

    private Map<String, String> values(Row row, List<String> only) {
        Map<String, String> values = new LinkedHashMap<>();
        TableSchema table = row.schema();
        for (Column column : table.columns()) {
            if (only == null || only.contains(column.name())) {
                values.put(column.name(), text.value(column, row.get(column.index())));
            }
        }
        return values;
    }

    /** Canal's event type of a DDL statement, from its leading words. */
    static String ddlType(String sql) {
        String[] words = sql.strip().replaceAll("/\\*.*?\\*/", " ").strip().toUpperCase(Locale.ROOT).split("\\s+");
        String first = words.length > 0 ? words[0] : "";
        String second = words.length > 1 ? words[1] : "";
        boolean index = second.equals("INDEX") || (words.length > 2 && words[2].equals("INDEX"));
        return switch (first) {
            case "CREATE" -> index ? "CINDEX" : second.equals("TABLE") || words.length > 2 && words[2].equals("TABLE")
                    ? "CREATE" : "QUERY";
            case "ALTER" -> second.equals("TABLE") ? "ALTER" : "QUERY";
            case "DROP" -> index ? "DINDEX" : second.equals("TABLE") || words.length > 2 && words[2].equals("TABLE")
                    ? "ERASE" : "QUERY";
            case "RENAME" -> "RENAME";
            case "TRUNCATE" -> "TRUNCATE";
            default -> "QUERY";
        };
    }
}
