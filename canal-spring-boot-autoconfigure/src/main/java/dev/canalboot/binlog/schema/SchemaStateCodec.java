package dev.canalboot.binlog.schema;

import com.alibaba.druid.support.json.JSONUtils;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact JSON a checkpoint keeps: the definitions of the tables at the checkpoint (not a log of DDL),
 * the unknown ones with their reason, and the default character sets. Version 1:
 * <pre>{"v":1,"server":"utf8mb4","schemas":{"db":"utf8mb4"},
 *  "tables":[["db","t","utf8mb4",[["id","int","int","",true],["v","varchar","varchar(20)","utf8mb4",false]]]],
 *  "unknown":[["db","u","reason"]]}</pre>
 */
final class SchemaStateCodec {

    private SchemaStateCodec() {
    }

    static String encode(SchemaState state) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("v", 1);
        root.put("server", state.serverCharset);
        Map<String, String> schemas = new LinkedHashMap<>();
        List<Object> tables = new ArrayList<>();
        List<Object> unknown = new ArrayList<>();
        // Every table held, not only those rows came for: a table first needed after a restart has its definition
        // at the checkpoint even when it changed since (the server could only give its present one).
        java.util.Set<TableKey> keys = new java.util.HashSet<>(state.tables.keySet());
        keys.addAll(state.unknown.keySet());
        keys.stream().sorted((a, b) -> a.toString().compareTo(b.toString())).forEach(key -> {
            TableDefinition d = state.tables.get(key);
            if (d != null) {
                List<Object> columns = new ArrayList<>();
                for (ColumnDefinition c : d.columns()) {
                    columns.add(List.of(c.name(), c.dataType(), c.columnType(), c.charset() == null ? "" : c.charset(),
                            c.primaryKey()));
                }
                tables.add(List.of(key.schema(), key.table(), d.charset() == null ? "" : d.charset(), columns));
            } else if (state.unknown.containsKey(key)) {
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

    @SuppressWarnings("unchecked")
    static SchemaState decode(String text) {
        Object parsed;
        try {
            parsed = JSONUtils.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema history is not JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> root) || !Integer.valueOf(1).equals(number(root.get("v")))) {
            throw new IllegalArgumentException("schema history is not version 1 of its format");
        }
        Map<TableKey, TableDefinition> tables = new HashMap<>();
        Map<TableKey, String> unknown = new HashMap<>();
        Map<String, String> schemas = new HashMap<>((Map<String, String>) root.get("schemas"));
        for (Object t : (List<Object>) root.get("tables")) {
            List<Object> table = (List<Object>) t;
            List<ColumnDefinition> columns = new ArrayList<>();
            for (Object c : (List<Object>) table.get(3)) {
                List<Object> column = (List<Object>) c;
                columns.add(new ColumnDefinition((String) column.get(0), (String) column.get(1), (String) column.get(2),
                        emptyToNull((String) column.get(3)), Boolean.TRUE.equals(column.get(4))));
            }
            TableKey key = new TableKey((String) table.get(0), (String) table.get(1));
            tables.put(key, new TableDefinition(key.schema(), key.table(), columns, emptyToNull((String) table.get(2))));
        }
        for (Object u : (List<Object>) root.get("unknown")) {
            List<Object> entry = (List<Object>) u;
            TableKey key = new TableKey((String) entry.get(0), (String) entry.get(1));
            unknown.put(key, (String) entry.get(2));
        }
        return new SchemaState(Map.copyOf(tables), Map.copyOf(unknown), Map.copyOf(schemas),
                (String) root.get("server"), false);
    }

    private static Integer number(Object o) {
        return o instanceof Number n ? n.intValue() : null;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
