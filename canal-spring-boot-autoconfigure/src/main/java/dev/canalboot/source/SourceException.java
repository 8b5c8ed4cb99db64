package dev.canalboot.source;

import org.jspecify.annotations.Nullable;

/**
 * Base of every error this project raises about a source: connection, authentication, protocol,
 * decoding. The message names the server (and position, where one applies) and the cause.
 */
public class SourceException extends RuntimeException {

    private final boolean retryable;

    public SourceException(String message) {
        this(message, null, false);
    }

    public SourceException(String message, @Nullable Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param retryable whether reconnecting may help (a dropped connection) as opposed to an error a
     *                  person must fix (wrong password, purged binlog, corrupt event)
     */
    public SourceException(String message, @Nullable Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean isRetryable() {
        return retryable;
    }
}
