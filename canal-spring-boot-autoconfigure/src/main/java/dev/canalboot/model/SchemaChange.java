package dev.canalboot.model;

import java.time.Instant;

/**
 * A DDL statement that passed through the binlog.
 *
 * @param schema the default schema of the statement ({@code null} when none)
 * @param table  the affected table when known, else {@code null}
 * @param sql    the statement text
 */
public record SchemaChange(String source, String schema, String table, String sql, SourcePosition position,
                           Instant timestamp) implements ChangeEvent {
}
