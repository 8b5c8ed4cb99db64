package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.source.SourceException;

/** The server sent something this client cannot follow (framing, sequence, unexpected packet). */
public class MySqlProtocolException extends SourceException {

    public MySqlProtocolException(String message) {
        super(message);
    }

    public MySqlProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
