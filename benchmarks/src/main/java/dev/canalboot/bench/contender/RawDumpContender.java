package dev.canalboot.bench.contender;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.BinlogPosition;
import dev.canalboot.binlog.protocol.BinlogCommands;
import dev.canalboot.binlog.protocol.ConnectionSettings;
import dev.canalboot.binlog.protocol.MySqlConnection;
import dev.canalboot.binlog.protocol.Packet;
import dev.canalboot.binlog.protocol.TlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Contender 6, the limit: the same binlog dump through our protocol client (handshake, packet framing), reading
 * only the 19-byte event headers to know where the stream stands; no row is decoded. Its rows/s is the
 * workload's row count over the time to reach the binlog end.
 */
public final class RawDumpContender implements Contender {

    private static final int ROTATE_EVENT = 4;
    private static final int HEADER_LENGTH = 19;

    @Override
    public String id() {
        return "6-limit";
    }

    @Override
    public String description() {
        return "binlog dump through our protocol client, event headers only (no row decoding)";
    }

    @Override
    public void run(RunContext context) throws Exception {
        BenchServer server = context.server();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ConnectionSettings settings = new ConnectionSettings(server.host(), server.port(), server.user(),
                    server.password(), null, TlsSettings.DISABLED, Duration.ofSeconds(10));
            MySqlConnection connection = MySqlConnection.open(group, settings);
            try {
                Duration timeout = Duration.ofSeconds(10);
                connection.execute("SET @master_binlog_checksum = @@global.binlog_checksum", timeout);
                boolean checksums = !"NONE".equalsIgnoreCase(connection.execute("SELECT @@global.binlog_checksum AS c",
                        timeout).first("c"));
                if (server.flavor() == BenchServer.Flavor.MARIADB) {
                    connection.execute("SET @mariadb_slave_capability = 4", timeout);
                }
                BinlogPosition start = context.binlog().start();
                connection.startBinlogStream(BinlogCommands.dump(connection.channel().alloc(),
                        context.replicaServerId(), start.file(), start.position()),
                        new HeaderReader(context, start.file(), context.binlog().end(), checksums)).get();
                context.awaitDone();
            } finally {
                connection.close();
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Follows file and position from event headers and rotate events; done at the binlog end. */
    private static final class HeaderReader extends ChannelInboundHandlerAdapter {

        private final RunContext context;
        private final BinlogPosition end;
        private final int trailerLength;
        private String file;

        HeaderReader(RunContext context, String file, BinlogPosition end, boolean checksums) {
            this.context = context;
            this.file = file;
            this.end = end;
            this.trailerLength = checksums ? 4 : 0;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Packet packet = (Packet) msg;
                if (packet.isErr() || !packet.isOk()) {
                    context.fail(new IllegalStateException("Binlog dump from " + context.server()
                            + " sent a non-event packet (header 0x" + Integer.toHexString(packet.header()) + ")"));
                    return;
                }
                ByteBuf event = packet.payload();
                int at = event.readerIndex() + 1;
                int type = event.getUnsignedByte(at + 4);
                long nextPosition = event.getUnsignedIntLE(at + 13);
                if (type == ROTATE_EVENT) {
                    // body: 8-byte position, then the file name up to the CRC32 trailer
                    int nameStart = at + HEADER_LENGTH + 8;
                    file = event.toString(nameStart, event.writerIndex() - trailerLength - nameStart,
                            StandardCharsets.US_ASCII);
                    return;
                }
                if (nextPosition != 0 && !context.isDone() && new BinlogPosition(file, nextPosition).reached(end)) {
                    context.delivered(context.expectedRows());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            context.fail(cause);
        }
    }
}
