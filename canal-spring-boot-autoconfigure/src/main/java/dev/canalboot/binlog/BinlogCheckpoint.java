package dev.canalboot.binlog;

import dev.canalboot.binlog.protocol.GtidSet;

/**
 * A transaction end in the server's binlog from which reading can resume: file and offset, plus the GTIDs
 * executed up to there when they are known.
 *
 * @param file      binlog file name
 * @param position  offset of the first event after the transaction
 * @param mysqlGtids MySQL: the executed GTID set up to here, or null when not tracked
 * @param mariaDbGtids MariaDB: the GTID position ({@code domain-server-seq[,...]}), or null when not tracked
 */
public record BinlogCheckpoint(String file, long position, GtidSet mysqlGtids, String mariaDbGtids) {

    /** Where to resume: the GTIDs when known (and wanted), else file and offset. */
    StartPosition resumePoint(boolean preferGtids) {
        if (preferGtids && mysqlGtids != null) {
            return new StartPosition.MySqlGtids(mysqlGtids);
        }
        if (preferGtids && mariaDbGtids != null) {
            return new StartPosition.MariaDbGtids(mariaDbGtids);
        }
        return new StartPosition.FilePosition(file, position);
    }

    @Override
    public String toString() {
        return file + ":" + position + (mysqlGtids != null ? " [" + mysqlGtids + "]" : "")
                + (mariaDbGtids != null ? " [" + mariaDbGtids + "]" : "");
    }
}
