package dev.canalboot.relay;

/**
 * Kafka did not acknowledge every message of a batch: the batch must be rolled back, never acknowledged.
 * The relay's listener container stops on it, whatever the configured error handler says.
 */
public class RelaySendException extends RuntimeException {

    public RelaySendException(String message, Throwable cause) {
        super(message, cause);
    }
}
