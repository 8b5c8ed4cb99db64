package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.schema.TableShapeResolver;
import dev.canalboot.source.SourceCounters;
import dev.canalboot.internal.binlog.protocol.BinlogCommands;
import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.internal.binlog.protocol.MySqlServerException;
import dev.canalboot.internal.binlog.protocol.OutboundPacket;
import dev.canalboot.internal.binlog.protocol.PacketCodec;
import dev.canalboot.internal.binlog.protocol.ResultSet;
import dev.canalboot.internal.binlog.protocol.ServerInfo;
import dev.canalboot.internal.binlog.schema.SchemaHistory;
import dev.canalboot.checkpoint.ServerIdentity;
import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One replication connection: logs in, negotiates checksum and heartbeat, resolves the start position,
 * registers as a replica and streams from the start position until it ends (once, with a reason).
 * Non-blocking: every step is a future completed on the connection's event loop.
 */
final class ReplicaSession {

    /** The current stream's batch assembler, once dumping. */
    private volatile BatchAssembler assembler;

    private static final Logger log = LoggerFactory.getLogger(ReplicaSession.class);

    interface Listener {
        /**
         * The server told who it is, before the start position is resolved; throwing a {@link SourceException}
         * refuses it (e.g. the position to resume from belongs to another server).
         */
        default void onServerIdentified(ReplicaSession session, ServerChangeCheck.ServerFacts server) {
        }

        /** The position the session starts from is known (file and GTIDs resolved). */
        void onStartResolved(ReplicaSession session, BinlogCheckpoint start);

        void onStreaming(ReplicaSession session);

        void onBatch(ReplicaSession session, ReadBatch batch, BinlogCheckpoint lastTransactionEnd);

        /**
         * Whether the consumer waits for work: with {@link RowDecoding#ADAPTIVE}, rows read meanwhile are left
         * for it to decode.
         */
        default boolean consumerWaiting() {
            return false;
        }

        void onEnded(ReplicaSession session, SourceException reason);
    }

    private final BinlogSourceSettings settings;
    private final EventLoopGroup group;
    private final StartPosition start;
    private final BinlogCheckpoint known;
    private final EventDecoder.Factory decoders;
    private final TableShapeResolver shapes;
    private final Listener listener;
    private final SourceCounters metrics;
    private volatile MySqlConnection connection;
    private volatile boolean paused;
    private volatile long resumedAtNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private volatile boolean closed;
    private volatile boolean semiSyncActive;
    private final AtomicReference<BinlogCheckpoint> ackWanted = new AtomicReference<>();

    /**
     * @param start where to start
     * @param known what is already known of that position (its GTIDs with a file start), or null
     */
    ReplicaSession(BinlogSourceSettings settings, EventLoopGroup group, StartPosition start, BinlogCheckpoint known,
                   EventDecoder.Factory decoders, TableShapeResolver shapes, Listener listener,
                   SourceCounters metrics) {
        this.settings = settings;
        this.group = group;
        this.start = start;
        this.known = known;
        this.decoders = decoders;
        this.shapes = shapes;
        this.listener = listener;
        this.metrics = metrics;
    }

    private String description() {
        return "Source " + settings.name() + " (" + settings.connection().address() + ")";
    }

    /** Completes when the dump command is sent; fails with the reason the session could not start. */
    CompletableFuture<Void> start() {
        return MySqlConnection.connect(group, settings.connection()).thenCompose(c -> {
            connection = c;
            if (closed) {
                c.close();
                throw new SourceException(description() + " closed while connecting", null, false);
            }
            return prepare(c);
        }).exceptionally(e -> {
            MySqlConnection c = connection;
            if (c != null) {
                c.close();
            }
            throw new CompletionException(unwrap(e));
        });
    }

    private CompletableFuture<Void> prepare(MySqlConnection c) {
        ServerInfo server = c.server();
        CompletableFuture<ResultSet> setUp = query(c, "SELECT @@global.log_bin AS log_bin,"
                + " @@global.binlog_checksum AS checksum, @@global.binlog_format AS format,"
                + " @@global.binlog_row_image AS row_image, @@global.server_id AS server_id"
                + (server.mariaDb() ? ", @@global.gtid_domain_id AS gtid_domain_id, @@global.gtid_binlog_pos AS gtids"
                : ", @@global.gtid_mode AS gtid_mode, @@global.server_uuid AS server_uuid, @@global.gtid_executed AS gtids"));
        return setUp.thenCompose(vars -> {
            checkServerSettings(vars);
            listener.onServerIdentified(this, facts(server, vars));
            boolean checksum = !"NONE".equalsIgnoreCase(vars.first("checksum"));
            boolean mysqlGtids = !server.mariaDb() && "ON".equalsIgnoreCase(vars.first("gtid_mode"));
            CompletableFuture<ResultSet> chain = query(c, replicaVariables(server.mariaDb(), checksum,
                    settings.heartbeatPeriod().toNanos(), settings.semiSync()));
            return chain.thenCompose(r -> resolveStart(c, mysqlGtids))
                    .thenCompose(resolved -> dump(c, resolved, checksum));
        });
    }

    /**
     * The replica's session variables, in one statement (one round-trip at connect instead of one per variable):
     * the checksum the stream carries, the heartbeat period, on MariaDB the GTID capability (4 =
     * MARIA_SLAVE_CAPABILITY_GTID: the server sends GTID events and annotates them), and with semi-sync the
     * variable the source reads (MariaDB and MySQL's rpl_semi_sync_master read the old name, MySQL 8.0.26+ the new).
     */
    static String replicaVariables(boolean mariaDb, boolean checksum, long heartbeatNanos, boolean semiSync) {
        StringBuilder sql = new StringBuilder("SET @master_binlog_checksum = ")
                .append(checksum ? "@@global.binlog_checksum" : "'NONE'")
                .append(", @master_heartbeat_period = ").append(heartbeatNanos);
        if (mariaDb) {
            sql.append(", @mariadb_slave_capability = 4");
        }
        if (semiSync) {
            sql.append(", @rpl_semi_sync_slave = 1");
            if (!mariaDb) {
                sql.append(", @rpl_semi_sync_replica = 1");
            }
        }
        return sql.toString();
    }

    /** Who the server is; lenient with servers that speak the protocol but leave a variable empty. */
    private static ServerChangeCheck.ServerFacts facts(ServerInfo server, ResultSet vars) {
        ServerIdentity identity = new ServerIdentity(server.mariaDb() ? null : vars.first("server_uuid"),
                number(vars.first("server_id")), server.mariaDb() ? number(vars.first("gtid_domain_id")) : null);
        return new ServerChangeCheck.ServerFacts(identity, server.mariaDb(), vars.first("gtids"));
    }

    private static long number(String value) {
        return value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
    }

    /** The position this session resumes from, or null when it starts from the configured start. */
    BinlogCheckpoint resumeFrom() {
        return known;
    }

    /**
     * Fails at connect time, naming the change, on a server whose binlog cannot feed a row-change source: found
     * only at the first change otherwise, while health said UP. Not retryable: a person must change the server.
     */
    private void checkServerSettings(ResultSet vars) {
        String logBin = vars.first("log_bin");
        if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            throw new SourceException(description() + ": binary logging is off on the server (log_bin = " + logBin
                    + "). Turn it on in the [mysqld] section of my.cnf (log_bin = binlog, binlog_format = ROW,"
                    + " binlog_row_image = FULL) and restart the server: log_bin cannot be changed at run time.",
                    null, false);
        }
        String format = vars.first("format");
        if (format != null && !"ROW".equalsIgnoreCase(format)) {
            throw new SourceException(description() + ": the server writes its binlog in " + format
                    + " format (binlog_format); a change data capture source needs ROW. Run SET GLOBAL binlog_format"
                    + " = ROW (sessions opened afterwards write rows) and put binlog_format = ROW in the [mysqld]"
                    + " section of my.cnf so that it survives a restart.", null, false);
        }
        String image = vars.first("row_image");
        if (image != null && !"FULL".equalsIgnoreCase(image)) {
            throw new SourceException(description() + ": the server writes " + image + " row images"
                    + " (binlog_row_image); without FULL, updates and deletes lack the columns that did not change"
                    + " and listeners would see them as null. Run SET GLOBAL binlog_row_image = FULL and put"
                    + " binlog_row_image = FULL in the [mysqld] section of my.cnf so that it survives a restart.",
                    null, false);
        }
    }

    /** The start as a checkpoint: file and offset (null file for a GTID start), and the GTIDs executed before it. */
    private CompletableFuture<BinlogCheckpoint> resolveStart(MySqlConnection c, boolean mysqlGtids) {
        ServerInfo server = c.server();
        if (start instanceof StartPosition.Latest) {
            String status = !server.mariaDb() && server.versionNumber() >= 80400
                    ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
            return query(c, status).thenCompose(rs -> {
                if (rs.rows().isEmpty()) {
                    throw new SourceException(description() + ": " + status + " returned nothing: binary logging"
                            + " is off or the user lacks REPLICATION CLIENT", null, false);
                }
                String file = rs.first("File");
                long position = Long.parseLong(rs.first("Position"));
                if (server.mariaDb()) {
                    return query(c, "SELECT @@global.gtid_binlog_pos AS pos").thenApply(g ->
                            BinlogCheckpoint.of(file, position, null, g.first("pos")));
                }
                GtidSet gtids = mysqlGtids ? GtidSet.parse(rs.first("Executed_Gtid_Set")) : null;
                return CompletableFuture.completedFuture(BinlogCheckpoint.of(file, position, gtids, null));
            });
        }
        if (start instanceof StartPosition.Earliest) {
            return query(c, "SHOW BINARY LOGS").thenCompose(rs -> {
                if (rs.rows().isEmpty()) {
                    throw new SourceException(description() + ": SHOW BINARY LOGS returned no file", null, false);
                }
                String file = rs.get(0, "Log_name");
                if (mysqlGtids) {
                    return query(c, "SELECT @@global.gtid_purged AS purged").thenApply(g ->
                            BinlogCheckpoint.of(file, 4, GtidSet.parse(g.first("purged")), null));
                }
                return CompletableFuture.completedFuture(BinlogCheckpoint.of(file, 4, null, null));
            });
        }
        if (start instanceof StartPosition.FilePosition fp) {
            if (known != null && (known.gtidSet() != null || known.mariaDbGtids() != null)) {
                return CompletableFuture.completedFuture(BinlogCheckpoint.of(fp.file(), fp.position(),
                        known.gtidSet(), known.mariaDbGtids()));
            }
            return gtidsAt(c, fp, mysqlGtids);
        }
        if (start instanceof StartPosition.MySqlGtids g) {
            if (server.mariaDb()) {
                throw new SourceException(description() + ": a MySQL GTID set start was configured but the server"
                        + " is MariaDB; use a MariaDB GTID position", null, false);
            }
            return CompletableFuture.completedFuture(BinlogCheckpoint.of(known == null ? null : known.file(),
                    known == null ? 4 : known.position(), g.executed(), null));
        }
        StartPosition.MariaDbGtids g = (StartPosition.MariaDbGtids) start;
        if (!server.mariaDb()) {
            throw new SourceException(description() + ": a MariaDB GTID position start was configured but the"
                    + " server is MySQL; use a MySQL GTID set", null, false);
        }
        BatchAssembler.parseMariaDb(g.position());
        return query(c, "SET @slave_connect_state = '" + g.position().replace("'", "") + "'")
                .thenCompose(r -> query(c, "SET @slave_gtid_strict_mode = 1"))
                .thenApply(r -> BinlogCheckpoint.of(known == null ? null : known.file(),
                        known == null ? 4 : known.position(), null, g.position()));
    }

    /**
     * The GTIDs executed up to a file position, so that checkpoints taken after a file start can resume by GTID
     * (across a failover). MariaDB computes it; on MySQL it is the file's previous-GTIDs plus the GTIDs of the
     * transactions in the file before the position. Without GTIDs: none.
     */
    private CompletableFuture<BinlogCheckpoint> gtidsAt(MySqlConnection c, StartPosition.FilePosition fp,
                                                        boolean mysqlGtids) {
        String file = fp.file().replace("'", "");
        if (c.server().mariaDb()) {
            return query(c, "SELECT BINLOG_GTID_POS('" + file + "', " + fp.position() + ") AS pos").thenApply(rs -> {
                String pos = rs.first("pos");
                return BinlogCheckpoint.of(fp.file(), fp.position(), null, pos == null || pos.isBlank() ? null : pos);
            });
        }
        if (!mysqlGtids) {
            return CompletableFuture.completedFuture(BinlogCheckpoint.of(fp.file(), fp.position(), null, null));
        }
        return c.query("SHOW BINLOG EVENTS IN '" + file + "'").handle((rs, e) -> {
            if (e != null) {
                // A missing file is reported by the dump with the purged-binlog advice; anything else costs only
                // GTID tracking (resume by file and offset), which is worth a warning, not a failure.
                log.warn("{}: cannot read the GTIDs before {}:{} ({}); checkpoints resume by file and offset",
                        description(), fp.file(), fp.position(), unwrap(e).getMessage());
                return BinlogCheckpoint.of(fp.file(), fp.position(), null, null);
            }
            GtidSet executed = GtidSet.EMPTY;
            for (int i = 0; i < rs.rows().size(); i++) {
                long eventStart = Long.parseLong(rs.get(i, "Pos"));
                if (eventStart >= fp.position()) {
                    break;
                }
                String type = rs.get(i, "Event_type");
                String info = rs.get(i, "Info");
                if ("Previous_gtids".equals(type)) {
                    executed = GtidSet.parse(info);
                } else if ("Gtid".equals(type) && info != null && info.indexOf('\'') > 0) {
                    executed = executed.add(info.substring(info.indexOf('\'') + 1, info.lastIndexOf('\'')));
                }
            }
            return BinlogCheckpoint.of(fp.file(), fp.position(), executed, null);
        });
    }

    private CompletableFuture<Void> dump(MySqlConnection c, BinlogCheckpoint from, boolean checksum) {
        listener.onStartResolved(this, from);
        Channel channel = c.channel();
        BatchAssembler assembler = this.assembler = new BatchAssembler(settings.batchSize(), from,
                (batch, end) -> listener.onBatch(this, batch, end), metrics, switch (settings.rowDecoding()) {
                    case CONNECTION_THREAD -> null;
                    case CONSUMER_THREAD -> () -> true;
                    case ADAPTIVE -> listener::consumerWaiting;
                }, shapes instanceof SchemaHistory history ? history::state : () -> null);
        EventDecoder decoder = decoders.create(settings.name(), shapes, settings.decoderOptions(checksum));
        String replicaUser = "'" + settings.connection().user() + "'@'%'";
        ReplicationHandler handler = new ReplicationHandler(decoder, assembler, metrics,
                err -> ReplicationErrors.classify(err, settings.name(), settings.connection().address(), replicaUser,
                        assembler.lastTransactionEnd()),
                () -> listener.onStreaming(this), reason -> listener.onEnded(this, reason),
                this::pausedWithinReadTimeout, description(), settings.semiSync() ? semiSync : null);
        return c.registerReplica(settings.serverId(), "canalboot-" + settings.name(), 0)
                .exceptionally(e -> {
                    throw new CompletionException(asReplicationError(unwrap(e), from));
                })
                .thenCompose(r -> {
                    ByteBuf command;
                    if (start instanceof StartPosition.MySqlGtids) {
                        command = BinlogCommands.dumpGtid(channel.alloc(), settings.serverId(), from.gtidSet());
                    } else if (start instanceof StartPosition.MariaDbGtids) {
                        // The GTID start is in @slave_connect_state; MariaDB ignores file and offset here.
                        command = BinlogCommands.dump(channel.alloc(), settings.serverId(), "", 4);
                    } else {
                        command = BinlogCommands.dump(channel.alloc(), settings.serverId(), from.file(), from.position());
                        assembler.startsAt(from.file(), from.position());
                    }
                    if (settings.semiSync()) {
                        channel.pipeline().get(PacketCodec.class).expectSemiSyncStream();
                    }
                    channel.pipeline().addBefore("commands", "read-timeout", new IdleStateHandler(
                            settings.readTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                    return c.startBinlogStream(command, handler);
                });
    }

    private SourceException asReplicationError(SourceException e, BinlogCheckpoint from) {
        if (e instanceof MySqlServerException se) {
            return ReplicationErrors.classify(se.error(), settings.name(), settings.connection().address(),
                    "'" + settings.connection().user() + "'@'%'", from);
        }
        return e;
    }

    private CompletableFuture<ResultSet> query(MySqlConnection c, String sql) {
        return c.query(sql).exceptionally(e -> {
            SourceException cause = unwrap(e);
            if (cause instanceof MySqlServerException se && (se.code() == ReplicationErrors.ER_SPECIFIC_ACCESS_DENIED)) {
                throw new CompletionException(asReplicationError(cause, null));
            }
            throw new CompletionException(cause);
        });
    }

    static SourceException unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof SourceException se ? se : new SourceException(t.toString(), t, true);
    }

    private final ReplicationHandler.SemiSync semiSync = new ReplicationHandler.SemiSync() {
        @Override
        public void onHeaders(boolean present) {
            semiSyncActive = present;
            if (present) {
                log.info("{}: registered as a semi-synchronous replica", description());
            } else {
                log.warn("{}: semi-sync was requested but the server does not run it (no semi-sync headers);"
                        + " replicating asynchronously", description());
            }
        }

        @Override
        public void onAckRequested(String file, long endPosition) {
            ackWanted.set(BinlogCheckpoint.of(file, endPosition, null, null));
        }
    };

    /**
     * Semi-sync: tells the server that everything up to {@code end} is handled (listeners returned, checkpoint
     * saved), releasing the commits waiting for it. Sent only while the server waits for an acknowledgement.
     */
    void acknowledge(BinlogCheckpoint end) {
        MySqlConnection c = connection;
        BinlogCheckpoint wanted = ackWanted.get();
        if (!semiSyncActive || c == null || wanted == null || end == null || end.file() == null) {
            return;
        }
        c.channel().writeAndFlush(OutboundPacket.standalone(
                BinlogCommands.semiSyncAck(c.channel().alloc(), end.file(), end.position())));
        if (covers(end, wanted)) {
            ackWanted.compareAndSet(wanted, null);
        }
    }

    /** Binlog file names share a base name and a zero-padded sequence number, so they order as text. */
    static boolean covers(BinlogCheckpoint end, BinlogCheckpoint wanted) {
        int files = end.file().compareTo(wanted.file());
        return files > 0 || (files == 0 && end.position() >= wanted.position());
    }

    /** Stop reading from the server until {@link #resumeReading()} (the batch queue is full). */
    /** See {@link BatchAssembler#drainedThrough()}; null before streaming. */
    BinlogCheckpoint drainedThrough() {
        BatchAssembler a = assembler;
        return a == null ? null : a.drainedThrough();
    }

    void pauseReading() {
        MySqlConnection c = connection;
        if (c != null && !paused) {
            paused = true;
            c.channel().config().setAutoRead(false);
        }
    }

    void resumeReading() {
        MySqlConnection c = connection;
        if (c != null && paused) {
            resumedAtNanos = System.nanoTime();
            paused = false;
            c.channel().config().setAutoRead(true);
        }
    }

    /** Whether silence on the connection may be this side's doing: paused now or within the read timeout. */
    boolean pausedWithinReadTimeout() {
        return paused || System.nanoTime() - resumedAtNanos < settings.readTimeout().toNanos();
    }

    boolean paused() {
        return paused;
    }

    /** The server's id of this connection (for KILL), or -1 before login. */
    long connectionId() {
        MySqlConnection c = connection;
        return c == null ? -1 : c.server().connectionId();
    }

    ServerInfo server() {
        MySqlConnection c = connection;
        return c == null ? null : c.server();
    }

    void close() {
        closed = true;
        MySqlConnection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
