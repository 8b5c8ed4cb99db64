package dev.canalboot.canal;

/** What a zero (or partly zero) DATE/DATETIME/TIMESTAMP such as {@code 0000-00-00} becomes. */
public enum ZeroDatePolicy {
    /** The value is {@code null}, as JDBC drivers convert it on request. */
    NULL,
    /** Decoding fails with an error naming the column and the value. */
    ERROR
}
