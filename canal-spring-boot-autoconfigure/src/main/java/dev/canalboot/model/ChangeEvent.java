package dev.canalboot.model;

import java.time.Instant;

/** Anything a source emits: a row change, a schema change or a transaction boundary. */
public sealed interface ChangeEvent permits RowChange, SchemaChange, TransactionBoundary {

    /** The configured name of the source that read this change. */
    String source();

    SourcePosition position();

    /** When the change was committed on the server (binlog event timestamp, second precision). */
    Instant timestamp();
}
