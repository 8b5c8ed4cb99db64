package dev.canalboot.testsupport;

import com.google.protobuf.ByteString;
import dev.canalboot.canal.CanalPassword;
import dev.canalboot.proto.CanalPacketProtos.Ack;
import dev.canalboot.proto.CanalPacketProtos.ClientAck;
import dev.canalboot.proto.CanalPacketProtos.ClientAuth;
import dev.canalboot.proto.CanalPacketProtos.ClientRollback;
import dev.canalboot.proto.CanalPacketProtos.Get;
import dev.canalboot.proto.CanalPacketProtos.Handshake;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;
import dev.canalboot.proto.CanalPacketProtos.Sub;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;

import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for a Canal server, for protocol behaviour the real server cannot be made to show
 * (oversized or corrupt frames, a peer that speaks something else) and for counting requests. It checks
 * the scrambled password the way a Canal server does: {@code SHA1(token XOR SHA1(seed + stored)) == stored}.
 */
public final class FakeCanalServer implements AutoCloseable {

    /** Something to answer a GET with: a Messages body, or raw bytes written as they are. */
    public sealed interface Reply permits MessagesReply, RawReply {
    }

    public record MessagesReply(Messages messages) implements Reply {
    }

    public record RawReply(byte[] bytes) implements Reply {
    }

    public static final byte[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8};

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final String user;
    private final String passwordHash;
    private final String destination;
    /** When set, the server writes these bytes on connect and then ignores the client. */
    private final byte[] greeting;
    public final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    /** Requests in arrival order: "auth", "sub:filter", "get", "ack:id", "rollback:id". */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    public final List<Channel> clients = new CopyOnWriteArrayList<>();

    public FakeCanalServer(String user, String password, String destination) {
        this(user, password, destination, null);
    }

    public FakeCanalServer(String user, String password, String destination, byte[] greeting) {
        this.user = user;
        this.passwordHash = password.isEmpty() ? "" : CanalPassword.serverHash(password);
        this.destination = destination;
        this.greeting = greeting;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clients.add(ch);
                        if (greeting != null) {
                            ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ctx.writeAndFlush(Unpooled.wrappedBuffer(greeting));
                                }
                            });
                            return;
                        }
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4),
                                new ProtobufDecoder(Packet.getDefaultInstance()), new LengthFieldPrepender(4),
                                new ProtobufEncoder(), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Closes every client connection (the server keeps listening). */
    public void dropClients() {
        clients.forEach(Channel::close);
    }

    public long count(String prefix) {
        return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        dropClients(); // a closed server channel leaves accepted connections open
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Packet packet(PacketType type, ByteString body) {
        return Packet.newBuilder().setType(type).setBody(body).build();
    }

    private static Packet ack(int errorCode, String message) {
        Ack.Builder ack = Ack.newBuilder();
        if (errorCode != 0) {
            ack.setErrorCode(errorCode).setErrorMessage(message);
        }
        return packet(PacketType.ACK, ack.build().toByteString());
    }

    private boolean passwordMatches(ByteString scrambled) throws Exception {
        if (passwordHash.isEmpty()) {
            return true;
        }
        if (scrambled.isEmpty()) {
            return false;
        }
        byte[] token = HexFormat.of().parseHex(scrambled.toStringUtf8());
        byte[] stored = HexFormat.of().parseHex(passwordHash);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(SEEDS);
        sha1.update(stored);
        byte[] mask = sha1.digest();
        for (int i = 0; i < token.length; i++) {
            token[i] ^= mask[i];
        }
        return Arrays.equals(MessageDigest.getInstance("SHA-1").digest(token), stored);
    }

    private final class Handler extends SimpleChannelInboundHandler<Packet> {

        /** A Canal server answers a connection's requests in order: replies leave FIFO, each not before due. */
        private final java.util.ArrayDeque<Object[]> outbox = new java.util.ArrayDeque<>();

        private void reply(ChannelHandlerContext ctx, Object message, long delayMillis) {
            outbox.add(new Object[]{System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), message});
            if (outbox.size() == 1) {
                drain(ctx);
            }
        }

        private void drain(ChannelHandlerContext ctx) {
            while (!outbox.isEmpty()) {
                long wait = (long) outbox.peek()[0] - System.nanoTime();
                if (wait > 0) {
                    ctx.executor().schedule(() -> drain(ctx), wait, TimeUnit.NANOSECONDS);
                    return;
                }
                Object message = outbox.poll()[1];
                if (message instanceof byte[] raw) {
                    // Bypass the encoders: write exactly these bytes.
                    ctx.channel().pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(raw));
                } else {
                    ctx.writeAndFlush(message);
                }
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(packet(PacketType.HANDSHAKE,
                    Handshake.newBuilder().setSeeds(ByteString.copyFrom(SEEDS)).build().toByteString()));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) throws Exception {
            switch (packet.getType()) {
                case CLIENTAUTHENTICATION -> {
                    ClientAuth auth = ClientAuth.parseFrom(packet.getBody());
                    requests.add("auth");
                    if (!auth.getUsername().equals(user) || !passwordMatches(auth.getPassword())) {
                        reply(ctx, ack(400, "auth failed for user:" + auth.getUsername()), 0);
                    } else {
                        reply(ctx, ack(0, null), 0);
                    }
                }
                case SUBSCRIPTION -> {
                    Sub sub = Sub.parseFrom(packet.getBody());
                    requests.add("sub:" + sub.getFilter());
                    reply(ctx, sub.getDestination().equals(destination) ? ack(0, null)
                            : ack(401, "destination:" + sub.getDestination() + " should start first"), 0);
                }
                case GET -> {
                    Get get = Get.parseFrom(packet.getBody());
                    requests.add("get");
                    Reply next = replies.poll();
                    if (next == null) {
                        // Nothing scripted: answer "no batch" after a short wait, like a server's fetch timeout.
                        reply(ctx, packet(PacketType.MESSAGES, Messages.newBuilder().setBatchId(-1).build().toByteString()),
                                Math.min(get.getTimeout(), 20));
                    } else if (next instanceof MessagesReply m) {
                        reply(ctx, packet(PacketType.MESSAGES, m.messages().toByteString()), 0);
                    } else if (next instanceof RawReply raw) {
                        reply(ctx, raw.bytes(), 0);
                    }
                }
                case UNSUBSCRIPTION -> {
                    requests.add("unsub");
                    reply(ctx, ack(0, null), 0);
                }
                case CLIENTACK -> requests.add("ack:" + ClientAck.parseFrom(packet.getBody()).getBatchId());
                case CLIENTROLLBACK -> requests.add("rollback:" + ClientRollback.parseFrom(packet.getBody()).getBatchId());
                default -> reply(ctx, ack(400, "packet type=" + packet.getType() + " is NOT supported!"), 0);
            }
        }
    }

    /** A raw-greeting server: writes {@code greeting} to every client on connect. */
    public static FakeCanalServer greeting(byte[] greeting) {
        return new FakeCanalServer("", "", "", greeting);
    }
}
