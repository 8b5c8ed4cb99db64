package dev.canalboot.kafka;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.TableSchema;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One Canal flat message as {@link FlatMessageReader} reads it: the fields the Kafka source uses, the table's
 * schema from {@code mysqlType} and {@code pkNames} (one instance per message shape), and each row image as its
 * column names and value texts.
 *
 * @param database schema name
 * @param table    table name
 * @param isDdl    whether this is a DDL message
 * @param type     {@code INSERT}, {@code UPDATE}, {@code DELETE}, the DDL's kind, or another kind (e.g. {@code QUERY})
 * @param es       commit time on the server, epoch millis
 * @param sql      the DDL statement
 * @param gtid     the transaction's GTID
 * @param schema   the table's columns from {@code mysqlType} (in its order) and {@code pkNames}; {@code null}
 *                 without {@code mysqlType} or with an empty one
 * @param data     rows (the after image; a DELETE's before image)
 * @param old      UPDATE only: per row, the changed columns' values before
 */
record FlatRecord(@Nullable String database, @Nullable String table, boolean isDdl, @Nullable String type, long es,
                  @Nullable String sql, @Nullable String gtid, @Nullable TableSchema schema,
                  @Nullable List<Image> data, @Nullable List<Image> old) {

    /** The row change of a message {@code type}; null for DDL and other kinds. */
    static @Nullable ChangeType changeType(@Nullable String type) {
        return type == null ? null : switch (type) {
            case "INSERT" -> ChangeType.INSERT;
            case "UPDATE" -> ChangeType.UPDATE;
            case "DELETE" -> ChangeType.DELETE;
            default -> null;
        };
    }

    /**
     * One JSON object of column name → value text, in the message's order. Rows of one message share their
     * {@code names} array when their columns are the same.
     *
     * @param names  column names
     * @param values value texts, null for a null value
     */
    record Image(String[] names, @Nullable String[] values) {

        int size() {
            return names.length;
        }
    }
}
