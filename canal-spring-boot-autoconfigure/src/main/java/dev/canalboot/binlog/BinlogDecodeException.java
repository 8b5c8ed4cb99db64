package dev.canalboot.binlog;

import dev.canalboot.source.SourceException;

/** An event could not be decoded; the message names file:position and the event type. */
public class BinlogDecodeException extends SourceException {

    public BinlogDecodeException(String message) {
        super(message);
    }

    public BinlogDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
