package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.schema.SchemaState;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * A transaction end in the server's binlog from which reading can resume: file and offset, plus the GTIDs
 * executed up to there when they are known. Its public face speaks only public types (GTIDs as the server writes
 * them); the parsed GTID set and the schema history's state kept with it are the source's own.
 */
public final class BinlogCheckpoint {

    private final @Nullable String file;
    private final long position;
    private final @Nullable GtidSet mysqlGtids;
    private final @Nullable String mariaDbGtids;
    private final @Nullable SchemaState schema;
    private final @Nullable String snapshot;

    /**
     * A position to resume from.
     *
     * @param file         binlog file name
     * @param position     offset of the first event after the transaction
     * @param mysqlGtids   MySQL: the executed GTID set up to here ({@code uuid:1-42[,...]}), or null when not tracked
     * @param mariaDbGtids MariaDB: the GTID position ({@code domain-server-seq[,...]}), or null when not tracked
     * @throws IllegalArgumentException when {@code mysqlGtids} is not a GTID set
     */
    public BinlogCheckpoint(@Nullable String file, long position, @Nullable String mysqlGtids,
                            @Nullable String mariaDbGtids) {
        this(file, position, mysqlGtids == null ? null : GtidSet.parse(mysqlGtids), mariaDbGtids, null, null);
    }

    /**
     * @param schema   the schema history's state at this position (kept with the checkpoint), or null when not known
     * @param snapshot the progress of the snapshot running at this position (encoded), or null when none runs
     */
    BinlogCheckpoint(@Nullable String file, long position, @Nullable GtidSet mysqlGtids, @Nullable String mariaDbGtids,
                     @Nullable SchemaState schema, @Nullable String snapshot) {
        this.file = file;
        this.position = position;
        this.mysqlGtids = mysqlGtids;
        this.mariaDbGtids = mariaDbGtids;
        this.schema = schema;
        this.snapshot = snapshot;
    }

    /** A position with a parsed MySQL GTID set, without schema state or snapshot progress. */
    static BinlogCheckpoint of(@Nullable String file, long position, @Nullable GtidSet mysqlGtids,
                               @Nullable String mariaDbGtids) {
        return new BinlogCheckpoint(file, position, mysqlGtids, mariaDbGtids, null, null);
    }

    /** A position without snapshot progress. */
    static BinlogCheckpoint of(@Nullable String file, long position, @Nullable GtidSet mysqlGtids,
                               @Nullable String mariaDbGtids, @Nullable SchemaState schema) {
        return new BinlogCheckpoint(file, position, mysqlGtids, mariaDbGtids, schema, null);
    }

    /** The binlog file name; null when only GTIDs are known. */
    public @Nullable String file() {
        return file;
    }

    /** The offset of the first event after the transaction. */
    public long position() {
        return position;
    }

    /** MySQL: the executed GTID set up to here as the server writes it, or null when not tracked. */
    public @Nullable String mysqlGtids() {
        GtidSet gtids = mysqlGtids;
        return gtids == null ? null : gtids.toString();
    }

    /** MariaDB: the GTID position ({@code domain-server-seq[,...]}), or null when not tracked. */
    public @Nullable String mariaDbGtids() {
        return mariaDbGtids;
    }

    /** The progress of the snapshot running at this position (encoded), or null when none runs. */
    public @Nullable String snapshot() {
        return snapshot;
    }

    /** The executed GTID set, parsed. */
    @Nullable GtidSet gtidSet() {
        return mysqlGtids;
    }

    /** The schema history's state at this position, or null when not known. */
    @Nullable SchemaState schema() {
        return schema;
    }

    /** The same position with the schema history's state there. */
    BinlogCheckpoint withSchema(@Nullable SchemaState state) {
        return new BinlogCheckpoint(file, position, mysqlGtids, mariaDbGtids, state, snapshot);
    }

    /** The same position with the snapshot progress there (null: none runs). */
    BinlogCheckpoint withSnapshot(@Nullable String progress) {
        return Objects.equals(progress, snapshot) ? this
                : new BinlogCheckpoint(file, position, mysqlGtids, mariaDbGtids, schema, progress);
    }

    /** Positions are equal when they stand for the same place; the schema state is what is known there. */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof BinlogCheckpoint c && position == c.position && Objects.equals(file, c.file)
                && Objects.equals(mysqlGtids, c.mysqlGtids) && Objects.equals(mariaDbGtids, c.mariaDbGtids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, position, mysqlGtids, mariaDbGtids);
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
