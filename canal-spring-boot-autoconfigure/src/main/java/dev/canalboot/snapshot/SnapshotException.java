package dev.canalboot.snapshot;

/** A snapshot cannot go on: the message names the table, what was wrong and the way out. */
public class SnapshotException extends RuntimeException {

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
