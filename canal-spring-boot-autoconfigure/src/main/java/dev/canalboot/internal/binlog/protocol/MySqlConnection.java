package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.internal.net.TcpClients;
import dev.canalboot.source.SourceException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Promise;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One logged-in client connection: text queries and replication commands. Non-blocking: every operation
 * returns a future completed on the channel's event loop; {@link #execute} is the blocking convenience for
 * set-up code that runs off the event loop.
 */
public final class MySqlConnection implements AutoCloseable {

    private static final byte COM_QUERY = 0x03;
    private static final byte COM_REGISTER_SLAVE = 0x15;

    private final Channel channel;
    private final ServerInfo server;
    private final ConnectionSettings settings;
    private final CommandHandler commands;

    private MySqlConnection(Channel channel, ServerInfo server, ConnectionSettings settings) {
        this.channel = channel;
        this.server = server;
        this.settings = settings;
        this.commands = new CommandHandler(server);
    }

    /** Connects and logs in; the future fails with a {@link SourceException} naming the server and cause. */
    public static CompletableFuture<MySqlConnection> connect(EventLoopGroup group, ConnectionSettings settings) {
        CompletableFuture<MySqlConnection> result = new CompletableFuture<>();
        AtomicLong received = new AtomicLong();
        AtomicReference<AuthHandler> auth = new AtomicReference<>();
        Bootstrap bootstrap = TcpClients.bootstrap(group, settings.connectTimeout(), ch -> {
            Promise<ServerInfo> login = ch.eventLoop().newPromise();
            ch.pipeline().addLast("received", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof ByteBuf bytes) {
                        received.addAndGet(bytes.readableBytes()); // tells a silent peer from a foreign one
                    }
                    ctx.fireChannelRead(msg);
                }
            });
            ch.pipeline().addLast("packets", new PacketCodec(settings.address()));
            AuthHandler handler = new AuthHandler(settings, login);
            auth.set(handler);
            ch.pipeline().addLast("auth", handler);
            login.addListener(f -> {
                if (f.isSuccess()) {
                    MySqlConnection connection = new MySqlConnection(ch, login.getNow(), settings);
                    ch.pipeline().addLast("commands", connection.commands);
                    result.complete(connection);
                } else {
                    result.completeExceptionally(f.cause());
                }
            });
        });
        ChannelFuture connect = bootstrap.connect(settings.host(), settings.port());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new SourceException("Cannot connect to " + settings.address() + ": "
                        + f.cause().getMessage(), f.cause(), true));
            }
        });
        // A server that accepts but never speaks must not hang the caller.
        group.schedule(() -> {
            if (result.isDone()) {
                return;
            }
            AuthHandler handler = auth.get();
            if (result.completeExceptionally(new SourceException(noLogin(settings, received.get(),
                    handler != null && handler.greeted()), null, true))) {
                connect.channel().close();
            }
        }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    /** Why no login happened within the connect timeout, by what the peer sent. */
    private static String noLogin(ConnectionSettings settings, long bytesReceived, boolean greeted) {
        String within = " within the connect timeout " + settings.connectTimeout();
        if (greeted) {
            return "No login to " + settings.address() + within + ": the server greeted but did not answer the login";
        }
        if (bytesReceived == 0) {
            return "Nothing answered at " + settings.address() + within + ": the port accepted the connection but"
                    + " sent no greeting. A MySQL or MariaDB server greets at once, so what listens there is not one"
                    + " (an HTTP server, for one, waits for the client to speak) or it is hung: check the host and port";
        }
        return "What answered at " + settings.address() + " is not a MySQL/MariaDB server: " + bytesReceived
                + " bytes but no MySQL greeting" + within + ". Check the host and port";
    }

    /** Connects and logs in, waiting at most the connect timeout. */
    public static MySqlConnection open(EventLoopGroup group, ConnectionSettings settings) {
        return await(connect(group, settings), settings.connectTimeout().plusSeconds(1), "Connecting to "
                + settings.address());
    }

    public ServerInfo server() {
        return server;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    public Channel channel() {
        return channel;
    }

    /** COM_QUERY; the future fails with a {@link MySqlServerException} on ERR. */
    public CompletableFuture<ResultSet> query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf command = channel.alloc().buffer(1 + text.length).writeByte(COM_QUERY).writeBytes(text);
        return submit(command, "Query '" + sql + "'", null);
    }

    /**
     * COM_QUERY whose rows go to {@code rows} as they arrive, on the connection's thread, each cell's bytes as the
     * server sent them (SQL NULL is null): for values that are not UTF-8 text (binary columns), and so the caller's
     * work on a row overlaps the server sending the next. The result holds the column names. The future fails with
     * a {@link MySqlServerException} on ERR, or with what {@code rows} threw (the rest of the result is dropped).
     */
    public CompletableFuture<ResultSet> queryRaw(String sql, java.util.function.Consumer<byte[][]> rows) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf command = channel.alloc().buffer(1 + text.length).writeByte(COM_QUERY).writeBytes(text);
        return submit(command, "Query '" + abbreviate(sql) + "'", java.util.Objects.requireNonNull(rows, "rows"));
    }

    private static String abbreviate(String sql) {
        return sql.length() > 300 ? sql.substring(0, 300) + "..." : sql;
    }

    /** Runs {@code sql} and waits for its result (not on the event loop). */
    public ResultSet execute(String sql, Duration timeout) {
        return await(query(sql), timeout, "Query '" + sql + "' on " + server.address());
    }

    /** COM_REGISTER_SLAVE: announces this replica (its server id, and the host/port it reports). */
    public CompletableFuture<ResultSet> registerReplica(long serverId, String reportHost, int reportPort) {
        ByteBuf command = channel.alloc().buffer();
        command.writeByte(COM_REGISTER_SLAVE);
        command.writeIntLE((int) serverId);
        writeShortString(command, reportHost);
        writeShortString(command, settings.user());
        writeShortString(command, "");
        command.writeShortLE(reportPort);
        command.writeIntLE(0); // replication rank, unused
        command.writeIntLE(0); // master id: the server fills it in
        return submit(command, "COM_REGISTER_SLAVE (server id " + serverId + ")", null);
    }

    private static void writeShortString(ByteBuf buf, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buf.writeByte(bytes.length).writeBytes(bytes);
    }

    /**
     * Sends a binlog dump command and hands every packet from then on to {@code stream} instead of the
     * command reader. The connection serves no more queries.
     */
    public CompletableFuture<Void> startBinlogStream(ByteBuf dumpCommand, ChannelHandler stream) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!commands.idle()) {
                dumpCommand.release();
                sent.completeExceptionally(new IllegalStateException("Commands still pending on " + server.address()));
                return;
            }
            channel.pipeline().replace(commands, "binlog", stream);
            channel.writeAndFlush(new OutboundPacket(dumpCommand, true)).addListener(f -> {
                if (f.isSuccess()) {
                    sent.complete(null);
                } else {
                    sent.completeExceptionally(new SourceException("Sending the binlog dump to "
                            + server.address() + " failed: " + f.cause(), f.cause(), true));
                }
            });
        });
        return sent;
    }

    private CompletableFuture<ResultSet> submit(ByteBuf command, String description,
                                                java.util.function.Consumer<byte[][]> raw) {
        CompletableFuture<ResultSet> result = new CompletableFuture<>();
        if (!channel.isActive()) {
            command.release();
            result.completeExceptionally(new SourceException("Connection to " + server.address() + " is closed",
                    null, true));
            return result;
        }
        channel.eventLoop().execute(() -> commands.submit(channel.pipeline().context(commands), command,
                description, result, raw));
        return result;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close();
    }

    public static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException se) {
                throw se;
            }
            throw new SourceException(what + " failed: " + e.getCause(), e.getCause(), true);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new SourceException(what + " did not complete within " + timeout, e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(what + " was interrupted", e, false);
        }
    }
}
