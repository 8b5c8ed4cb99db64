package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.ErrPacket;
import dev.canalboot.internal.binlog.protocol.MySqlServerException;

import java.util.List;
import java.util.Locale;

/**
 * What each {@code ERROR 1236} ("fatal error reading the binlog") a MySQL or MariaDB server sends to a replica
 * means, and what a person does about it. The server sends one code for many causes; the text tells them apart.
 * None is retryable: asking again from the same position gets the same answer.
 */
final class ReadErrors {

    /** Moving the source on: every advice that involves giving up the stored position says this. */
    static final String RESET = "Set the source's start position to earliest or latest (or take a snapshot) and"
            + " restart it; a stored checkpoint wins over the start position, so delete it (or set checkpoint-wins"
            + " to false) too. It does not skip ahead on its own.";

    /** One kind of 1236: the server's texts (lower case fragments, MySQL 8.0/8.4 and MariaDB 11), meaning, advice. */
    private record Kind(List<String> texts, String meaning, String advice) {
        boolean matches(String text) {
            return texts.stream().anyMatch(text::contains);
        }
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(List.of("purged required binary logs", "purged binary logs containing gtids",
                    "could not find gtid state requested", "could not find first log file name",
                    "found old binary log without gtids"),
                    "the binlog to resume from is no longer on the server (purged, expired by"
                            + " binlog_expire_logs_seconds, or never there: a re-created server has other files)."
                            + " Changes after it are lost to this source.",
                    RESET + " Keep binlogs longer than the application may be down (binlog_expire_logs_seconds)."),
            new Kind(List.of("position > file size", "greater than actual file size", "impossible position"),
                    "the position is beyond the end of that binlog file on this server: the position comes from"
                            + " another server (the database was re-created and its file names started again at"
                            + " 000001, or the source points at a different server), or the file lost its end in a"
                            + " crash of the server (sync_binlog != 1).",
                    "If the server is another one, the position means nothing here: " + RESET),
            new Kind(List.of("position < 4", "bad magic number", "bogus data in log event", "did not pass crc check",
                    "truncated in the middle of event", "could not open log file", "could not find next log"),
                    "the server cannot read its binlog there: the position does not point at the start of an"
                            + " event (an edited checkpoint, or a position of another server), or the binlog file"
                            + " on the server is damaged or missing (disk full, a crash, files removed by hand"
                            + " instead of PURGE BINARY LOGS).",
                    "Check the position against SHOW BINARY LOGS and mysqlbinlog on the server, and the server's"
                            + " error log. If the position is wrong or the file is lost: " + RESET),
            new Kind(List.of("more gtids than the", "not in the master's binlog", "missing the gtid",
                    "requested slave gtid state not found"),
                    "the position holds transactions (GTIDs) this server never wrote to its binlog: the server is"
                            + " not the one the position comes from (re-created, or another topology), or it lost"
                            + " its last transactions (restored from a backup, a crash with sync_binlog != 1) —"
                            + " the listeners saw changes the server no longer has.",
                    "Find out which. If the server is another one: " + RESET + " If it lost transactions,"
                            + " reconcile them first (the listeners already applied them)."),
            new Kind(List.of("sender thread cannot start in auto_position mode"),
                    "the position is a GTID set but the server does not run with gtid_mode=ON, so it cannot look"
                            + " transactions up by GTID: the position comes from another server (or the server's"
                            + " gtid_mode was turned off since).",
                    "If the server is the right one, turn GTIDs on (gtid_mode=ON, enforce_gtid_consistency=ON) or"
                            + " start from a file and position. If it is another server: " + RESET),
            new Kind(List.of("cannot replicate anonymous transaction", "cannot replicate gtid-transaction"),
                    "the server's binlog mixes transactions with and without GTIDs (gtid_mode is being changed"
                            + " or was changed back), and this resume cannot cross them.",
                    "Finish the gtid_mode change on the server (gtid_mode=ON with enforce_gtid_consistency=ON) before"
                            + " resuming from a GTID set, or start from a file and position: " + RESET),
            new Kind(List.of("exceeded max_allowed_packet"),
                    "an event is larger than the server's max_allowed_packet, so the server cannot send it.",
                    "Raise max_allowed_packet on the server (SET GLOBAL max_allowed_packet = 1073741824, and in"
                            + " my.cnf) and restart the source."),
            new Kind(List.of("binary log is not open"),
                    "binary logging is off on the server.",
                    "Enable it (log_bin, binlog_format=ROW in my.cnf) and restart the server."));

    private ReadErrors() {
    }

    /**
     * Whether {@code error} says the binlog to resume from is no longer on the server (the first kind above): what
     * {@code snapshot.mode=when-needed} recovers from by snapshotting again.
     */
    static boolean purged(Throwable error) {
        return error instanceof MySqlServerException se && se.error() != null
                && se.code() == ReplicationErrors.ER_MASTER_FATAL_ERROR_READING_BINLOG
                && KINDS.get(0).matches(se.error().message().toLowerCase(Locale.ROOT));
    }

    /** @param where "Source name (host:port)" */
    static MySqlServerException explain(ErrPacket err, String where, Object position) {
        String text = err.message().toLowerCase(Locale.ROOT);
        for (Kind kind : KINDS) {
            if (kind.matches(text)) {
                return new MySqlServerException(where + " cannot send the binlog from " + position + " (" + err
                        + "): " + kind.meaning() + " " + kind.advice(), err, false);
            }
        }
        return new MySqlServerException(where + " cannot send the binlog from " + position + " (" + err
                + "): the server cannot find or read its binlog there; its error log says more. " + RESET, err, false);
    }
}
