package dev.canalboot.canal;

/**
 * Reads, from the database a Canal server replicates, a marker of what it has committed: a text that changes
 * whenever the database commits a transaction (a GTID set, or a binlog file and position). The Canal source uses
 * it to tell a Canal server that stopped reading from one that has nothing to send; see {@link StallDetector}.
 */
@FunctionalInterface
public interface UpstreamProbe {

    /**
     * The marker now. May block (it asks the database); called from the source's own probe thread.
     *
     * @throws Exception when the database cannot be asked; the source logs it and gives no verdict
     */
    String commitMarker() throws Exception;
}
