package dev.canalboot.model;

import java.time.Instant;

/**
 * Begin or commit of a transaction.
 *
 * @param transactionId XID for commits when known, or the transaction's GTID; {@code null} when unknown
 */
public record TransactionBoundary(String source, Kind kind, String transactionId, SourcePosition position,
                                  Instant timestamp) implements ChangeEvent {

    public enum Kind { BEGIN, COMMIT }
}
