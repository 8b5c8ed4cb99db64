package dev.canalboot.embedded;

/** Value of the server's {@code binlog_row_metadata}: how much column metadata TABLE_MAP events carry. */
public enum RowMetadata {
    /** Only what decoding needs (types, lengths). */
    MINIMAL,
    /** Also column names, signedness, charsets, primary key. */
    FULL
}
