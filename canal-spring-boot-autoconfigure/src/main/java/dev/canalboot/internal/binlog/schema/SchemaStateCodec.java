package dev.canalboot.internal.binlog.schema;

import com.alibaba.druid.support.json.JSONUtils;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compact JSON a checkpoint keeps: the definitions of the tables at the checkpoint (not a log of DDL, so it
 * never grows with the number of statements applied), the unknown ones with their reason, the default character
 * sets, and whether the state is complete. Version 2 writes each column as {@code [name, column type]} and only
 * adds what cannot be derived from those two and the table's charset:
 * <pre>{"v":2,"complete":true,"server":"utf8mb4","schemas":{"db":"utf8mb4"},
 *  "tables":[["db","t","utf8mb4",[["id","int",null,true],["v","varchar(20)"],["b","varchar(5)","latin1"]]]],
 *  "unknown":[["db","u","reason"]]}</pre>
 * Column elements after the type: the charset ({@code null}: the default, which is the table's for a text column
 * and none otherwise; {@code ""}: none), whether it is in the primary key, and the data type ({@code null}: the
 * column type up to its first {@code (} or space). Trailing defaults are left out. Version 1 (five elements per
 * column, no {@code complete}) is still read.
 */
final class SchemaStateCodec {

    private SchemaStateCodec() {
    }

    static String encode(SchemaState state) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", 2);
        root.put("complete", state.seeded);
        root.put("server", state.serverCharset);
        Map<String, String> schemas = new LinkedHashMap<>();
        List<Object> tables = new ArrayList<>();
        List<Object> unknown = new ArrayList<>();
        // Every table held, not only those rows came for: a table first needed after a restart has its definition
        // at the checkpoint even when it changed since (the server could only give its present one).
        Set<TableKey> keys = new HashSet<>(state.tables.keySet());
        keys.addAll(state.unknown.keySet());
        keys.stream().sorted(Comparator.comparing(TableKey::schema).thenComparing(TableKey::table)).forEach(key -> {
            TableDefinition d = state.tables.get(key);
            if (d != null) {
                List<Object> columns = new ArrayList<>(d.columns().size());
                for (ColumnDefinition c : d.columns()) {
                    columns.add(column(c, d.charset()));
                }
                tables.add(List.of(key.schema(), key.table(), d.charset() == null ? "" : d.charset(), columns));
            } else {
                unknown.add(List.of(key.schema(), key.table(), state.unknown.get(key)));
            }
        });
        state.schemaCharsets.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> schemas.put(e.getKey(), e.getValue()));
        root.put("schemas", schemas);
        root.put("tables", tables);
        root.put("unknown", unknown);
        return JSONUtils.toJSONString(root);
    }

    private static List<Object> column(ColumnDefinition c, String tableCharset) {
        List<Object> out = new ArrayList<>(5);
        out.add(c.name());
        out.add(c.columnType());
        String charsetDefault = defaultCharset(c.dataType(), tableCharset);
        out.add(java.util.Objects.equals(c.charset(), charsetDefault) ? null : c.charset() == null ? "" : c.charset());
        out.add(c.primaryKey());
        out.add(c.dataType().equals(derivedDataType(c.columnType())) ? null : c.dataType());
        // Leave out the trailing defaults.
        while (out.size() > 2 && (out.get(out.size() - 1) == null || Boolean.FALSE.equals(out.get(out.size() - 1)))) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** DATA_TYPE as information_schema derives it from COLUMN_TYPE: the first word before any {@code (}. */
    static String derivedDataType(String columnType) {
        int end = columnType.length();
        for (int i = 0; i < columnType.length(); i++) {
            char ch = columnType.charAt(i);
            if (ch == '(' || ch == ' ') {
                end = i;
                break;
            }
        }
        return columnType.substring(0, end);
    }

    private static String defaultCharset(String dataType, String tableCharset) {
        return DdlApplier.isText(dataType) ? tableCharset : null;
    }

    @SuppressWarnings("unchecked")
    static SchemaState decode(String text) {
        Object parsed;
        try {
            parsed = JSONUtils.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema history is not JSON: " + e.getMessage(), e);
        }
        Integer version = parsed instanceof Map<?, ?> r ? number(r.get("v")) : null;
        if (version == null || version < 1 || version > 2) {
            throw new IllegalArgumentException("schema history is not version 1 or 2 of its format");
        }
        Map<?, ?> root = (Map<?, ?>) parsed;
        Map<TableKey, TableDefinition> tables = new HashMap<>();
        Map<TableKey, String> unknown = new HashMap<>();
        Map<String, String> schemas = new HashMap<>((Map<String, String>) root.get("schemas"));
        for (Object t : (List<Object>) root.get("tables")) {
            List<Object> table = (List<Object>) t;
            String tableCharset = emptyToNull((String) table.get(2));
            List<ColumnDefinition> columns = new ArrayList<>();
            for (Object c : (List<Object>) table.get(3)) {
                List<Object> column = (List<Object>) c;
                columns.add(version == 1 ? new ColumnDefinition((String) column.get(0), (String) column.get(1),
                        (String) column.get(2), emptyToNull((String) column.get(3)), Boolean.TRUE.equals(column.get(4)))
                        : column(column, tableCharset));
            }
            TableKey key = new TableKey((String) table.get(0), (String) table.get(1));
            tables.put(key, new TableDefinition(key.schema(), key.table(), columns, tableCharset));
        }
        for (Object u : (List<Object>) root.get("unknown")) {
            List<Object> entry = (List<Object>) u;
            TableKey key = new TableKey((String) entry.get(0), (String) entry.get(1));
            unknown.put(key, (String) entry.get(2));
        }
        return new SchemaState(Map.copyOf(tables), Map.copyOf(unknown), Map.copyOf(schemas),
                (String) root.get("server"), Boolean.TRUE.equals(root.get("complete")));
    }

    private static ColumnDefinition column(List<Object> column, String tableCharset) {
        String columnType = (String) column.get(1);
        String dataType = element(column, 4) instanceof String s ? s : derivedDataType(columnType);
        Object charset = element(column, 2);
        return new ColumnDefinition((String) column.get(0), dataType, columnType,
                charset == null ? defaultCharset(dataType, tableCharset) : emptyToNull((String) charset),
                Boolean.TRUE.equals(element(column, 3)));
    }

    private static Object element(List<Object> list, int i) {
        return i < list.size() ? list.get(i) : null;
    }

    private static Integer number(Object o) {
        return o instanceof Number n ? n.intValue() : null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
