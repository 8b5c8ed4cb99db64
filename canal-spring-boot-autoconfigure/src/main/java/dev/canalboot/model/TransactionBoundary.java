package dev.canalboot.model;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Begin or commit of a transaction.
 *
 * @param transactionId XID for commits when known, or the transaction's GTID; {@code null} when unknown
 */
public record TransactionBoundary(String source, Kind kind, @Nullable String transactionId, SourcePosition position,
                                  Instant timestamp) implements ChangeEvent {

    public enum Kind { BEGIN, COMMIT }
}
