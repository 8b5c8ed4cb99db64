package dev.canalboot.model;

import org.jspecify.annotations.Nullable;

/**
 * Where a change stands in the server's binlog.
 *
 * @param file   binlog file name ({@code null} when unknown)
 * @param offset byte offset of the event in that file (end of the event for commits)
 * @param gtid   GTID of the change's transaction when GTIDs are on: {@code uuid:n} on MySQL,
 *               {@code domain-server-seq} on MariaDB; otherwise {@code null}
 */
public record SourcePosition(@Nullable String file, long offset, @Nullable String gtid) {

    public static final SourcePosition UNKNOWN = new SourcePosition(null, -1, null);

    @Override
    public String toString() {
        return (file == null ? "?" : file) + ":" + offset + (gtid == null ? "" : " [" + gtid + "]");
    }
}
