package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.schema.SchemaState;

/**
 * A transaction end in the server's binlog from which reading can resume: file and offset, plus the GTIDs
 * executed up to there when they are known.
 *
 * @param file      binlog file name
 * @param position  offset of the first event after the transaction
 * @param mysqlGtids MySQL: the executed GTID set up to here, or null when not tracked
 * @param mariaDbGtids MariaDB: the GTID position ({@code domain-server-seq[,...]}), or null when not tracked
 * @param schema   the schema history's state at this position (kept with the checkpoint), or null when not known
 * @param snapshot the progress of the snapshot running at this position (encoded), or null when none runs
 */
public record BinlogCheckpoint(String file, long position, GtidSet mysqlGtids, String mariaDbGtids, SchemaState schema,
                               String snapshot) {

    /** A position without snapshot progress. */
    public BinlogCheckpoint(String file, long position, GtidSet mysqlGtids, String mariaDbGtids, SchemaState schema) {
        this(file, position, mysqlGtids, mariaDbGtids, schema, null);
    }

    /** A position without the schema history's state. */
    public BinlogCheckpoint(String file, long position, GtidSet mysqlGtids, String mariaDbGtids) {
        this(file, position, mysqlGtids, mariaDbGtids, null);
    }

    /** The same position with the schema history's state there. */
    BinlogCheckpoint withSchema(SchemaState state) {
        return new BinlogCheckpoint(file, position, mysqlGtids, mariaDbGtids, state, snapshot);
    }

    /** The same position with the snapshot progress there (null: none runs). */
    BinlogCheckpoint withSnapshot(String progress) {
        return java.util.Objects.equals(progress, snapshot) ? this
                : new BinlogCheckpoint(file, position, mysqlGtids, mariaDbGtids, schema, progress);
    }

    /** Positions are equal when they stand for the same place; the schema state is what is known there. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BinlogCheckpoint c && position == c.position && java.util.Objects.equals(file, c.file)
                && java.util.Objects.equals(mysqlGtids, c.mysqlGtids) && java.util.Objects.equals(mariaDbGtids, c.mariaDbGtids);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(file, position, mysqlGtids, mariaDbGtids);
    }

    /**
     * Where to resume: the GTIDs when known (they hold across a failover to another server of the same
     * topology), else file and offset.
     */
    StartPosition resumePoint() {
        if (mysqlGtids != null && !mysqlGtids.isEmpty()) {
            return new StartPosition.MySqlGtids(mysqlGtids);
        }
        if (mariaDbGtids != null && !mariaDbGtids.isBlank()) {
            return new StartPosition.MariaDbGtids(mariaDbGtids);
        }
        if (file == null) {
            throw new IllegalStateException("Position " + this + " has neither GTIDs nor a binlog file to resume from");
        }
        return new StartPosition.FilePosition(file, position);
    }

    @Override
    public String toString() {
        return file + ":" + position + (mysqlGtids != null ? " [" + mysqlGtids + "]" : "")
                + (mariaDbGtids != null ? " [" + mariaDbGtids + "]" : "");
    }
}
