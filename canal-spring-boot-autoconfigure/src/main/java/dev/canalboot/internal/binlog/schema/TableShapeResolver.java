package dev.canalboot.internal.binlog.schema;

import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.model.TableSchema;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Column shapes when the table map carries no names ({@code binlog_row_metadata=MINIMAL}, old MariaDB).
 * The source's implementation is its schema history ({@link dev.canalboot.internal.binlog.schema.SchemaHistory}): the
 * shape of each table as of the stream position, which the decoder tells it as it goes.
 */
public interface TableShapeResolver {

    /** The table's columns in ordinal order; empty when the table is not known. */
    List<ColumnShape> columns(String schema, String table);

    /** Forget what is known of the table: called by the decoder when DDL for it passes. */
    void invalidate(String schema, String table);

    /** The decoder is at the event starting at {@code file:position}: called before it asks about a table or DDL. */
    default void streamAt(String file, long position) {
    }

    /**
     * A DDL statement passed: resolvers that follow the schema apply it. Returns the definitions of the table it
     * changed (first) before and after it, each null when not known; null when nothing is known.
     */
    default TableDefinition @Nullable [] ddl(String defaultSchema, String sql) {
        return null;
    }

    /** A table map that carries column names (FULL metadata) was decoded as {@code decoded}: it wins over what is known. */
    default void named(TableMapEvent map, TableSchema decoded) {
    }
}
