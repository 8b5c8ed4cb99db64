package dev.canalboot.kafka;

import dev.canalboot.canal.FlatMessage;

import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.internal.binlog.event.DdlStatements;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canal flat messages → model events: rows of INSERT/UPDATE/DELETE → {@link RowChange}s, DDL → {@link SchemaChange}.
 * Values are converted from their text by the Canal source's {@link CanalValueConverter}, so they are the same
 * Java objects as from a Canal server. Flat messages carry no transaction boundaries (Canal's MQ mode drops them).
 * <p>
 * An UPDATE's before image is the after image with the changed columns ({@code old}) put back: Canal writes only
 * changed columns to {@code old}, and with {@code binlog_row_image=FULL} the others were equal.
 * <p>
 * Not thread-safe (a schema cache): one per source, used by the polling thread.
 */
final class FlatMessageConverter {

    private final String source;
    private final CanalValueConverter values;
    private final Map<String, CachedSchema> schemas = new HashMap<>();

    private record CachedSchema(Map<String, String> mysqlType, List<String> pkNames, TableSchema schema) {
    }

    FlatMessageConverter(String source, CanalValueConverter values) {
        this.source = source;
        this.values = values;
    }

    /**
     * Appends the message's events to {@code out}.
     *
     * @return whether the message held a change (false: a kind of message that carries none, e.g. a QUERY)
     * @throws IllegalArgumentException naming the table and column of what could not be converted
     */
    boolean convert(FlatMessage message, List<ChangeEvent> out) {
        SourcePosition position = new SourcePosition(null, -1, emptyToNull(message.gtid()));
        Instant timestamp = Instant.ofEpochMilli(message.es());
        String type = message.type() == null ? "" : message.type();
        if (message.isDdl() || isDdl(type)) {
            if (message.sql() != null && DdlStatements.isAccountManagement(message.sql())) {
                return false; // GRANT, CREATE USER, ...: no table changed, as on the binlog source
            }
            out.add(new SchemaChange(source, emptyToNull(message.database()), emptyToNull(message.table()),
                    message.sql() == null ? "" : message.sql(), position, timestamp));
            return true;
        }
        ChangeType changeType = switch (type) {
            case "INSERT" -> ChangeType.INSERT;
            case "UPDATE" -> ChangeType.UPDATE;
            case "DELETE" -> ChangeType.DELETE;
            default -> null;
        };
        if (changeType == null || message.data() == null || message.data().isEmpty()) {
            return false;
        }
        String table = message.database() + "." + message.table();
        if (message.mysqlType() == null || message.mysqlType().isEmpty()) {
            throw new IllegalArgumentException(type + " of " + table + " has rows but no mysqlType");
        }
        TableSchema schema = schema(message);
        try {
            for (int i = 0; i < message.data().size(); i++) {
                Map<String, String> image = message.data().get(i);
                Row before = null;
                Row after = null;
                switch (changeType) {
                    case INSERT -> after = row(schema, image);
                    case DELETE -> before = row(schema, image);
                    default -> {
                        after = row(schema, image);
                        before = row(schema, beforeImage(image, message.old(), i, table));
                    }
                }
                out.add(new RowChange(source, schema, changeType, before, after, position, timestamp));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot convert " + type + " of " + table + ": " + e.getMessage(), e);
        }
        return true;
    }

    private static Map<String, String> beforeImage(Map<String, String> after, List<Map<String, String>> old, int row,
                                                   String table) {
        if (old == null || old.size() <= row) {
            throw new IllegalArgumentException("UPDATE of " + table + " has " + (old == null ? 0 : old.size())
                    + " 'old' images for row " + (row + 1));
        }
        Map<String, String> before = new LinkedHashMap<>(after);
        for (Map.Entry<String, String> changed : old.get(row).entrySet()) {
            if (!before.containsKey(changed.getKey())) {
                throw new IllegalArgumentException("'old' names column '" + changed.getKey()
                        + "', which the row does not have");
            }
            before.put(changed.getKey(), changed.getValue());
        }
        return before;
    }

    private Row row(TableSchema schema, Map<String, String> image) {
        if (image.size() != schema.size()) {
            throw new IllegalArgumentException("a row has " + image.size() + " columns, mysqlType " + schema.size()
                    + " (binlog_row_image must be FULL)");
        }
        Object[] rowValues = new Object[schema.size()];
        for (int i = 0; i < rowValues.length; i++) {
            Column column = schema.column(i);
            if (!image.containsKey(column.name())) {
                throw new IllegalArgumentException("a row lacks column '" + column.name() + "'");
            }
            String text = image.get(column.name());
            rowValues[i] = values.convert(column, text, text == null);
        }
        return new Row(schema, rowValues);
    }

    private TableSchema schema(FlatMessage message) {
        String key = message.database() + "." + message.table();
        List<String> pkNames = message.pkNames() == null ? List.of() : message.pkNames();
        CachedSchema cached = schemas.get(key);
        // LinkedHashMap.equals ignores order: compare the column order too
        if (cached != null && cached.pkNames().equals(pkNames) && cached.mysqlType().equals(message.mysqlType())
                && List.copyOf(cached.mysqlType().keySet()).equals(List.copyOf(message.mysqlType().keySet()))) {
            return cached.schema();
        }
        List<Column> columns = new ArrayList<>(message.mysqlType().size());
        for (Map.Entry<String, String> column : message.mysqlType().entrySet()) {
            columns.add(MySqlTypeText.parse(column.getValue())
                    .column(column.getKey(), columns.size(), pkNames.contains(column.getKey())));
        }
        TableSchema schema = new TableSchema(message.database(), message.table(), columns);
        schemas.put(key, new CachedSchema(new LinkedHashMap<>(message.mysqlType()), List.copyOf(pkNames), schema));
        return schema;
    }

    private static boolean isDdl(String type) {
        return switch (type) {
            case "CREATE", "ALTER", "ERASE", "TRUNCATE", "RENAME", "CINDEX", "DINDEX" -> true;
            default -> false;
        };
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
