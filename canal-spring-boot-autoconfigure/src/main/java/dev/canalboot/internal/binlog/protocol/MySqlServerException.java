package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.source.SourceException;

/** The server answered with an ERR packet. */
public class MySqlServerException extends SourceException {

    private final ErrPacket error;

    public MySqlServerException(String message, ErrPacket error, boolean retryable) {
        super(message, null, retryable);
        this.error = error;
    }

    public ErrPacket error() {
        return error;
    }

    public int code() {
        return error.code();
    }
}
