package dev.canalboot.kafka;

import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.internal.binlog.event.DdlStatements;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * Canal flat messages ({@link FlatRecord}s) → model events: rows of INSERT/UPDATE/DELETE → {@link RowChange}s, DDL →
 * {@link SchemaChange}. Values are converted from their text by the Canal source's {@link CanalValueConverter}, so
 * they are the same Java objects as from a Canal server. Flat messages carry no transaction boundaries (Canal's MQ
 * mode drops them).
 * <p>
 * An UPDATE's before image is the after image with the changed columns ({@code old}) put back: Canal writes only
 * changed columns to {@code old}, and with {@code binlog_row_image=FULL} the others were equal.
 * <p>
 * Not thread-safe (where the columns of the last message's rows stand): one per decoding thread ({@link RecordDecoding}).
 */
final class FlatMessageConverter {

    private final String source;
    private final CanalValueConverter values;
    /** For the last rows' names array and schema: where each schema column stands in the row, null if in order. */
    private String @Nullable [] positionsNames;
    private @Nullable TableSchema positionsSchema;
    private int @Nullable [] positions;

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
    boolean convert(FlatRecord message, List<ChangeEvent> out) {
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
        ChangeType changeType = FlatRecord.changeType(type);
        List<FlatRecord.Image> data = message.data();
        if (changeType == null || data == null || data.isEmpty()) {
            return false;
        }
        TableSchema schema = message.schema();
        if (schema == null) {
            throw new IllegalArgumentException(type + " of " + table(message) + " has rows but no mysqlType");
        }
        try {
            for (int i = 0; i < data.size(); i++) {
                FlatRecord.Image image = data.get(i);
                Row before = null;
                Row after = null;
                switch (changeType) {
                    case INSERT -> after = row(schema, image);
                    case DELETE -> before = row(schema, image);
                    default -> {
                        after = row(schema, image);
                        before = row(schema, beforeImage(image, message.old(), i, message));
                    }
                }
                out.add(new RowChange(source, schema, changeType, before, after, position, timestamp));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot convert " + type + " of " + table(message) + ": "
                    + e.getMessage(), e);
        }
        return true;
    }

    private static FlatRecord.Image beforeImage(FlatRecord.Image after, @Nullable List<FlatRecord.Image> old, int row,
                                                FlatRecord message) {
        if (old == null || old.size() <= row) {
            throw new IllegalArgumentException("UPDATE of " + table(message) + " has " + (old == null ? 0 : old.size())
                    + " 'old' images for row " + (row + 1));
        }
        FlatRecord.Image changed = old.get(row);
        String[] before = after.values().clone();
        for (int i = 0; i < changed.size(); i++) {
            int at = indexOf(after.names(), changed.names()[i]);
            if (at < 0) {
                throw new IllegalArgumentException("'old' names column '" + changed.names()[i]
                        + "', which the row does not have");
            }
            before[at] = changed.values()[i];
        }
        return new FlatRecord.Image(after.names(), before);
    }

    private Row row(TableSchema schema, FlatRecord.Image image) {
        if (image.size() != schema.size()) {
            throw new IllegalArgumentException("a row has " + image.size() + " columns, mysqlType " + schema.size()
                    + " (binlog_row_image must be FULL)");
        }
        int[] at = positions(schema, image.names());
        String[] texts = image.values();
        Object[] rowValues = new Object[schema.size()];
        for (int i = 0; i < rowValues.length; i++) {
            String text = texts[at == null ? i : at[i]];
            rowValues[i] = text == null ? null : values.convert(schema.column(i), text, false);
        }
        return new Row(schema, rowValues);
    }

    /** Where each column of {@code schema} stands in rows of {@code names}; null when in the schema's order. */
    private int @Nullable [] positions(TableSchema schema, String[] names) {
        if (names == positionsNames && schema == positionsSchema) {
            return positions;
        }
        int[] at = null;
        for (int i = 0; i < names.length; i++) {
            String column = schema.column(i).name();
            if (at == null && column.equals(names[i])) {
                continue;
            }
            if (at == null) {
                at = new int[names.length];
                for (int j = 0; j < i; j++) {
                    at[j] = j;
                }
            }
            at[i] = indexOf(names, column);
            if (at[i] < 0) {
                throw new IllegalArgumentException("a row lacks column '" + column + "'");
            }
        }
        positionsNames = names;
        positionsSchema = schema;
        positions = at;
        return at;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String table(FlatRecord message) {
        return message.database() + "." + message.table();
    }

    private static boolean isDdl(String type) {
        return switch (type) {
            case "CREATE", "ALTER", "ERASE", "TRUNCATE", "RENAME", "CINDEX", "DINDEX" -> true;
            default -> false;
        };
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
