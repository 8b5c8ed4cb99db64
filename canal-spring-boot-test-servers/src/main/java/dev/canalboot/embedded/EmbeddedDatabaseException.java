package dev.canalboot.embedded;

/**
 * An embedded database could not be unpacked, initialized, started or used. The message says which
 * server, what failed and, for start-up failures, ends with the tail of the server log.
 */
public class EmbeddedDatabaseException extends RuntimeException {

    public EmbeddedDatabaseException(String message) {
        super(message);
    }

    public EmbeddedDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
