package dev.canalboot.model;

/** The kind of a row change. */
public enum ChangeType {
    INSERT, UPDATE, DELETE,

    /**
     * A row read by a snapshot (see {@code dev.canalboot.snapshot}): the row as it stands at its place in the
     * stream, an after image only. Never delivered after a stream change of the same key that is newer than it.
     */
    SNAPSHOT
}
