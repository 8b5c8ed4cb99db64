package dev.canalboot.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * The last transaction end a source delivered completely: where it resumes after a restart.
 *
 * @param source    configured source name
 * @param file      binlog file name ({@code null} when only a GTID set is known)
 * @param position  byte offset in {@code file} right after the transaction's commit event
 * @param gtidSet   executed GTID set at that point ({@code uuid:1-42,...} on MySQL,
 *                  {@code domain-server-seq,...} on MariaDB) or {@code null} when GTIDs are off
 * @param savedAt   when the checkpoint was taken
 * @param server    the server the position was read from, or {@code null} in checkpoints written before it was
 *                  recorded (the next save records it)
 * @param schemaHistory the binlog source's schema history at this position (the definitions of the tables it
 *                  decodes, compact JSON), or {@code null}: saved in the same write as the position
 * @param snapshot  the progress of a snapshot running at this position (see {@code dev.canalboot.snapshot}), or
 *                  {@code null} when none runs: saved in the same write, so a restart resumes it at the last
 *                  completed chunk
 */
public record Checkpoint(String source, String file, long position, String gtidSet, Instant savedAt,
                         ServerIdentity server, String schemaHistory, String snapshot) {

    /** A checkpoint without snapshot progress. */
    public Checkpoint(String source, String file, long position, String gtidSet, Instant savedAt,
                      ServerIdentity server, String schemaHistory) {
        this(source, file, position, gtidSet, savedAt, server, schemaHistory, null);
    }

    /** A checkpoint that knows neither its server nor a schema history (as written before they were recorded). */
    public Checkpoint(String source, String file, long position, String gtidSet, Instant savedAt) {
        this(source, file, position, gtidSet, savedAt, null, null, null);
    }

    /** A checkpoint without a schema history. */
    public Checkpoint(String source, String file, long position, String gtidSet, Instant savedAt,
                      ServerIdentity server) {
        this(source, file, position, gtidSet, savedAt, server, null, null);
    }

    public Checkpoint {
        Objects.requireNonNull(source, "source");
        if (file == null && (gtidSet == null || gtidSet.isBlank())) {
            throw new IllegalArgumentException("Checkpoint of source '" + source + "' needs a binlog file or a GTID set");
        }
        Objects.requireNonNull(savedAt, "savedAt");
    }

    public boolean hasGtidSet() {
        return gtidSet != null && !gtidSet.isBlank();
    }

    @Override
    public String toString() {
        return source + "@" + (file == null ? "" : file + ":" + position) + (hasGtidSet() ? " gtid=" + gtidSet : "")
                + (server == null ? "" : " on " + server) + (snapshot == null ? "" : " snapshot " + snapshot);
    }
}
