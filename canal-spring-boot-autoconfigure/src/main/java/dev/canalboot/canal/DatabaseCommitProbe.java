package dev.canalboot.canal;

import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.internal.binlog.protocol.ResultSet;
import dev.canalboot.internal.binlog.protocol.ServerInfo;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An {@link UpstreamProbe} that asks the database over a connection of its own (opened on first use, reopened when
 * lost): MariaDB's {@code @@global.gtid_binlog_pos} (changes with every commit), MySQL's executed GTID set, or,
 * without GTIDs, its binlog file and position. The account needs REPLICATION CLIENT (MySQL) or BINLOG MONITOR
 * (MariaDB) for the status query.
 */
public final class DatabaseCommitProbe implements UpstreamProbe, AutoCloseable {

    private final ConnectionSettings settings;
    private final Duration timeout;
    private final String name;
    private @Nullable EventLoopGroup group;
    private @Nullable MySqlConnection connection;

    public DatabaseCommitProbe(String name, ConnectionSettings settings, Duration timeout) {
        this.name = name;
        this.settings = settings;
        this.timeout = timeout;
    }

    @Override
    public synchronized String commitMarker() {
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("canal-" + name + "-upstream", true),
                    NioIoHandler.newFactory());
        }
        if (connection == null || !connection.isOpen()) {
            connection = MySqlConnection.open(group, settings);
        }
        ServerInfo server = connection.server();
        if (server.mariaDb()) {
            return connection.execute("SELECT @@global.gtid_binlog_pos AS pos", timeout).first("pos");
        }
        ResultSet status = connection.execute(server.versionNumber() >= 80400 ? "SHOW BINARY LOG STATUS"
                : "SHOW MASTER STATUS", timeout);
        if (status.rows().isEmpty()) {
            throw new IllegalStateException("SHOW MASTER STATUS on " + settings.address() + " returned nothing:"
                    + " binary logging is off or " + settings.user() + " lacks REPLICATION CLIENT");
        }
        String gtids = status.first("Executed_Gtid_Set");
        return gtids != null && !gtids.isBlank() ? gtids : status.first("File") + ":" + status.first("Position");
    }

    /** {@code user@host:port} of the database asked. */
    public String login() {
        return settings.login();
    }

    /** Closes the connection; a later {@link #commitMarker()} opens a new one. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
        }
    }
}
