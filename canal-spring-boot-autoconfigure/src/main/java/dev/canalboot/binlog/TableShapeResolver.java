package dev.canalboot.binlog;

import java.util.List;

/**
 * Column shapes when the table map carries no names (binlog_row_metadata=MINIMAL, old MariaDB). Implemented
 * with an information_schema query over a separate query connection.
 */
public interface TableShapeResolver {

    /** The columns of {@code schema.table} in ordinal order. */
    List<ColumnShape> columns(String schema, String table);

    /** Called by the decoder when DDL for the table passes. */
    void invalidate(String schema, String table);
}
