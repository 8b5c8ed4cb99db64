package dev.canalboot.internal.binlog.schema;

/** The DDL parser did not understand a statement. */
final class UnparseableDdlException extends RuntimeException {

    UnparseableDdlException(String message, Throwable cause) {
        super(message, cause);
    }
}
