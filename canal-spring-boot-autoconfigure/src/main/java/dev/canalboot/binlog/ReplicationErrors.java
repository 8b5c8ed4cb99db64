package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.ErrPacket;
import dev.canalboot.internal.binlog.protocol.MySqlServerException;
import dev.canalboot.source.SourceException;

import java.util.Locale;

/** Turns the server's replication errors into errors that say what happened and what to do. */
final class ReplicationErrors {

    static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;
    static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    static final int ER_ACCESS_DENIED = 1045;
    static final int ER_QUERY_INTERRUPTED = 1317;
    static final int ER_SERVER_SHUTDOWN = 1053;
    static final int ER_CONNECTION_KILLED = 1927;
    static final int ER_SESSION_WAS_KILLED = 3169;
    static final int ER_SLAVE_SAME_ID = 4052;

    private ReplicationErrors() {
    }

    /**
     * The stream held something that does not decode, found on the connection's thread or, for row images left
     * to the consumer, in {@code poll}: not retryable, since reading it again gives the same bytes.
     *
     * @param description the source and its server, as "Source name (host:port)"
     * @param after       the last transaction end before it
     */
    static SourceException undecodable(String description, BinlogCheckpoint after, RuntimeException e) {
        return new SourceException(description + ": failed reading the binlog after " + after + ": " + e, e, false);
    }

    /**
     * @param source   the source's name
     * @param server   host:port
     * @param user     the replication user
     * @param position where the stream stood (or was asked to start)
     */
    static SourceException classify(ErrPacket err, String source, String server, String user, Object position) {
        String where = "Source " + source + " (" + server + ")";
        String text = err.message().toLowerCase(Locale.ROOT);
        // MySQL: 1236 to the older connection; MariaDB: 4052 (ER_SLAVE_SAME_ID).
        if (err.code() == ER_SLAVE_SAME_ID || text.contains("same server_uuid/server_id")) {
            return new MySqlServerException(where + ": another replica uses the same server id and the server"
                    + " dropped this one: " + err + ". Give every replica of the server its own server-id.",
                    err, false);
        }
        if (err.code() == ER_MASTER_FATAL_ERROR_READING_BINLOG) {
            return ReadErrors.explain(err, where, position);
        }
        if (err.code() == ER_SPECIFIC_ACCESS_DENIED || err.code() == ER_ACCESS_DENIED
                || text.contains("replication slave") || text.contains("replication client")) {
            return new MySqlServerException(where + ": user " + user + " lacks a privilege replication needs: " + err
                    + ". Grant it: GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + user
                    + " (and SELECT on the captured tables for their column names).", err, false);
        }
        boolean transientError = err.code() == ER_QUERY_INTERRUPTED || err.code() == ER_SERVER_SHUTDOWN
                || err.code() == ER_CONNECTION_KILLED || err.code() == ER_SESSION_WAS_KILLED;
        return new MySqlServerException(where + " ended the binlog stream at " + position + ": " + err, err,
                transientError);
    }
}
