package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.checkpoint.ServerIdentity;
import dev.canalboot.source.SourceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether a position may be resumed on the server that answered: a binlog file and offset only on the server that
 * wrote them; GTIDs also on another server of the same replication topology (a failover), which is known by its
 * having executed every transaction the position holds.
 */
final class ServerChangeCheck {

    /**
     * What a server says of itself when a session starts.
     *
     * @param gtids MySQL: {@code @@global.gtid_executed}; MariaDB: {@code @@global.gtid_binlog_pos}
     */
    record ServerFacts(ServerIdentity identity, boolean mariaDb, String gtids) {
    }

    private ServerChangeCheck() {
    }

    /**
     * @param where    "Source name (host:port)"
     * @param from     the position to resume from
     * @param recorded the server {@code from} was read on, or null when unknown (a checkpoint of an older version)
     * @param location where the checkpoint is stored, or null without a store
     * @return null when the resume is right; else the error that fails the source (not retryable)
     */
    static @Nullable SourceException check(String where, BinlogCheckpoint from, ServerIdentity recorded, ServerFacts server,
                                 String location) {
        boolean byGtid = resumesByGtid(from);
        String missing = byGtid ? missingGtids(from, server) : null;
        boolean sameServer = recorded == null || recorded.sameServer(server.identity());
        if (sameServer && missing == null) {
            return null;
        }
        if (!sameServer && byGtid && missing == null) {
            return null; // a failover within one topology: this server has every transaction of the position
        }
        String way = " Nothing was read. If this server is the right one now, start the source afresh: delete "
                + (location == null ? "its stored checkpoint" : location) + " (or set checkpoint-wins to false on the"
                + " source once) and restart the application; the source then starts from its configured start"
                + " position (start.mode) and records this server. Otherwise point the source back at the server"
                + " the position comes from.";
        String gtidPart = missing == null ? ""
                : " This server has not executed " + missing + " of the position's GTIDs, so it is not a failover within"
                + " one replication topology.";
        if (sameServer) {
            return new SourceException(where + ": the position to resume from (" + from + ") holds transactions this"
                    + " server (" + server.identity() + ") does not have." + gtidPart + " Either it is not the server"
                    + " the position was read on (re-created with the same identity"
                    + (recorded == null ? ", or the checkpoint predates recording it" : "") + "), or it lost them"
                    + " (restored from a backup, a crash with sync_binlog != 1) after the listeners saw them."
                    + way, null, false);
        }
        return new SourceException(where + ": the position to resume from (" + from + ") was read on another server ("
                + recorded + ") than the one answering now (" + server.identity() + "): the database was re-created,"
                + " or the source now points at a different server. A binlog file and offset of one server mean"
                + " nothing on another" + (byGtid ? "." + gtidPart
                : ", and the position has no GTIDs that could carry it over (gtid_mode was OFF).") + way, null, false);
    }

    static boolean resumesByGtid(BinlogCheckpoint from) {
        return (from.gtidSet() != null && !from.gtidSet().isEmpty())
                || (from.mariaDbGtids() != null && !from.mariaDbGtids().isBlank());
    }

    /** The position's GTIDs the server has not executed (as text), or null when it has them all. */
    static String missingGtids(BinlogCheckpoint from, ServerFacts server) {
        if (from.gtidSet() != null && !from.gtidSet().isEmpty()) {
            if (server.mariaDb()) {
                return from.gtidSet() + " (MySQL GTIDs, and the server is MariaDB)";
            }
            GtidSet missing = from.gtidSet().subtract(GtidSet.parse(server.gtids()));
            return missing.isEmpty() ? null : missing.toString();
        }
        if (!server.mariaDb()) {
            return from.mariaDbGtids() + " (MariaDB GTIDs, and the server is MySQL)";
        }
        // Per replication domain, the server's binlog must have reached the position's sequence number.
        Map<String, String> serverPos = BatchAssembler.parseMariaDb(server.gtids() == null ? "" : server.gtids());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : BatchAssembler.parseMariaDb(from.mariaDbGtids()).entrySet()) {
            String have = serverPos.get(e.getKey());
            if (have == null || !reached(have, e.getValue())) {
                missing.add(e.getValue());
            }
        }
        return missing.isEmpty() ? null : String.join(",", missing)
                + " (the server's binlog is at " + (serverPos.isEmpty() ? "nothing" : String.join(",", serverPos.values())) + ")";
    }

    /** {@code have} (domain-server-seq) is at or after {@code wanted}: a later sequence number, or the same GTID. */
    private static boolean reached(String have, String wanted) {
        String[] h = have.split("-");
        String[] w = wanted.split("-");
        long hs = Long.parseUnsignedLong(h[2]);
        long ws = Long.parseUnsignedLong(w[2]);
        return Long.compareUnsigned(hs, ws) > 0 || (hs == ws && h[1].equals(w[1]));
    }
}
