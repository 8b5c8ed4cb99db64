package dev.canalboot.binlog;

import java.util.List;

/**
 * Column shapes when the table map carries no names ({@code binlog_row_metadata=MINIMAL}, old MariaDB).
 * Implemented with an information_schema query over a separate query connection.
 */
public interface TableShapeResolver {

    /** The table's columns in ordinal order; empty when the table is not known. */
    List<ColumnShape> columns(String schema, String table);

    /** Forget what is known of the table: called by the decoder when DDL for it passes. */
    void invalidate(String schema, String table);
}
