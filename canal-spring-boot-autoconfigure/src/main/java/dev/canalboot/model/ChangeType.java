package dev.canalboot.model;

/** The kind of a row change. */
public enum ChangeType {
    INSERT, UPDATE, DELETE
}
