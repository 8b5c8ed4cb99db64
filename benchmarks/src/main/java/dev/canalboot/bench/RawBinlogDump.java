package dev.canalboot.bench;

import dev.canalboot.internal.binlog.protocol.BinlogCommands;
import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.internal.binlog.protocol.Packet;
import dev.canalboot.binlog.tls.TlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A binlog dump through our protocol client that hands each raw event (header, body, checksum trailer; the
 * packet's 0x00 byte skipped) to a callback on the event loop. For the limit contender and for capturing real
 * events for the decoder microbenchmarks.
 */
public final class RawBinlogDump implements AutoCloseable {

    /** Receives raw events; not retained after it returns. */
    public interface EventHandler {
        void onEvent(ByteBuf event);
    }

    private final EventLoopGroup group;
    private final MySqlConnection connection;
    private final boolean checksums;

    private RawBinlogDump(EventLoopGroup group, MySqlConnection connection, boolean checksums) {
        this.group = group;
        this.connection = connection;
        this.checksums = checksums;
    }

    /** Logs in and starts the dump at {@code start}; errors of the stream go to {@code onError}. */
    public static RawBinlogDump start(BenchServer server, long replicaServerId, BinlogPosition start,
                                      EventHandler handler, Consumer<Throwable> onError) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        MySqlConnection connection = null;
        try {
            ConnectionSettings settings = new ConnectionSettings(server.host(), server.port(), server.user(),
                    server.password(), null, TlsSettings.DISABLED, Duration.ofSeconds(10));
            connection = MySqlConnection.open(group, settings);
            Duration timeout = Duration.ofSeconds(10);
            connection.execute("SET @master_binlog_checksum = @@global.binlog_checksum", timeout);
            boolean checksums = !"NONE".equalsIgnoreCase(
                    connection.execute("SELECT @@global.binlog_checksum AS c", timeout).first("c"));
            if (server.flavor() == BenchServer.Flavor.MARIADB) {
                connection.execute("SET @mariadb_slave_capability = 4", timeout);
            }
            connection.startBinlogStream(BinlogCommands.dump(connection.channel().alloc(), replicaServerId,
                    start.file(), start.position()), new Reader(server, handler, onError)).get(10, TimeUnit.SECONDS);
            return new RawBinlogDump(group, connection, checksums);
        } catch (Exception | Error e) {
            if (connection != null) {
                connection.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /** Whether events carry a 4-byte CRC32 trailer. */
    public boolean checksums() {
        return checksums;
    }

    @Override
    public void close() {
        connection.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Reader extends ChannelInboundHandlerAdapter {

        private final BenchServer server;
        private final EventHandler handler;
        private final Consumer<Throwable> onError;

        Reader(BenchServer server, EventHandler handler, Consumer<Throwable> onError) {
            this.server = server;
            this.handler = handler;
            this.onError = onError;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Packet packet = (Packet) msg;
                if (!packet.isOk()) {
                    onError.accept(new IllegalStateException("Binlog dump from " + server
                            + " sent a non-event packet (header 0x" + Integer.toHexString(packet.header()) + ")"));
                    ctx.close();
                    return;
                }
                ByteBuf payload = packet.payload();
                handler.onEvent(payload.slice(payload.readerIndex() + 1, payload.readableBytes() - 1));
            } catch (RuntimeException e) {
                onError.accept(e);
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            onError.accept(cause);
            ctx.close();
        }
    }
}
