package dev.canalboot.snapshot;

/** When a binlog source snapshots its tables (the rows that exist before the first change it streams). */
public enum SnapshotMode {

    /** Never: only changes are delivered (the default). */
    NEVER,

    /** When the source has no checkpoint yet: snapshot the tables, merged with the stream, then keep streaming. */
    INITIAL,

    /** As {@link #INITIAL}, then stop the source once the snapshot is delivered and acknowledged. */
    INITIAL_ONLY,

    /**
     * As {@link #INITIAL}, and also when the checkpoint's binlog has been purged: instead of failing, the source
     * starts at the server's present end and snapshots again.
     */
    WHEN_NEEDED
}
