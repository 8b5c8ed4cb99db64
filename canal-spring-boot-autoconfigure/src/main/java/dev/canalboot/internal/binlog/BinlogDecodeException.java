package dev.canalboot.internal.binlog;

import dev.canalboot.source.SourceException;

/**
 * A binlog event could not be decoded: corrupt or truncated bytes, a checksum mismatch, a row that does not
 * fit its table's known shape, or a feature this project does not support (encrypted binlogs). The message
 * names the binlog file and position and the event type. Not retryable: reading the same bytes again fails
 * the same way.
 */
public class BinlogDecodeException extends SourceException {

    public BinlogDecodeException(String message) {
        super(message, null, false);
    }

    public BinlogDecodeException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
