package dev.canalboot.model;

/**
 * What a MySQL zero date ({@code 0000-00-00}, or a DATE/DATETIME/TIMESTAMP with a zero month or day)
 * becomes, the same for the Canal and the binlog source.
 */
public enum ZeroDatePolicy {
    /** The default: the value is {@code null}, as JDBC drivers convert it on request. */
    NULL,
    /** Decoding fails with an error naming the column. */
    ERROR
}
