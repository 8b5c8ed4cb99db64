package dev.canalboot.binlog;

/** What a zero date ({@code 0000-00-00}, or a date with a zero month or day) decodes to. */
public enum ZeroDatePolicy {
    /** The value is {@code null}, as JDBC drivers do with {@code zeroDateTimeBehavior=convertToNull}. */
    NULL,
    /** Decoding fails with a {@link BinlogDecodeException} naming the column. */
    ERROR
}
