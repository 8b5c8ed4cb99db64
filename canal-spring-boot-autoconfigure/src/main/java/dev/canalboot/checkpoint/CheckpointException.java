package dev.canalboot.checkpoint;

/** A checkpoint could not be read or written; the message names the store, the source and what to change. */
public class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
