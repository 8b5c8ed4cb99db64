package dev.canalboot.model;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A DDL statement that passed through the binlog.
 *
 * @param schema the default schema of the statement ({@code null} when none)
 * @param table  the affected table when known, else {@code null}
 * @param sql    the statement text
 * @param before the affected table's definition right before the statement (from the source's schema history),
 *               or {@code null} when it did not exist or is not known
 * @param after  its definition right after (under its new name after a rename), or {@code null} when the
 *               statement dropped it or the definition is not known
 */
public record SchemaChange(String source, @Nullable String schema, @Nullable String table, String sql,
                           SourcePosition position, Instant timestamp, @Nullable TableDefinition before,
                           @Nullable TableDefinition after) implements ChangeEvent {

    /** A change whose table definitions are not known. */
    public SchemaChange(String source, @Nullable String schema, @Nullable String table, String sql,
                        SourcePosition position, Instant timestamp) {
        this(source, schema, table, sql, position, timestamp, null, null);
    }
}
