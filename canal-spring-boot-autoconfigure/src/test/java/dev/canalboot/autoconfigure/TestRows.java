package dev.canalboot.autoconfigure;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;

import java.time.Instant;
import java.util.List;

/** Row changes for tests that need one without a server. */
final class TestRows {

    private TestRows() {
    }

    /** An INSERT of one row {@code (id)} into {@code schema.table}. */
    static RowChange insert(String source, String schema, String table, long id) {
        TableSchema tableSchema = new TableSchema(schema, table,
                List.of(new Column("id", 0, ColumnType.BIGINT, false, 0, 0, null, true, List.of())));
        return new RowChange(source, tableSchema, ChangeType.INSERT, null, new Row(tableSchema, new Object[]{id}),
                new SourcePosition("mysql-bin.000001", 100 + id, null), Instant.now());
    }
}
