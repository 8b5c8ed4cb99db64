package dev.canalboot.canal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.canalboot.internal.net.TcpClients;
import dev.canalboot.proto.CanalPacketProtos.Ack;
import dev.canalboot.proto.CanalPacketProtos.ClientAck;
import dev.canalboot.proto.CanalPacketProtos.ClientAuth;
import dev.canalboot.proto.CanalPacketProtos.ClientRollback;
import dev.canalboot.proto.CanalPacketProtos.Compression;
import dev.canalboot.proto.CanalPacketProtos.Get;
import dev.canalboot.proto.CanalPacketProtos.Handshake;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;
import dev.canalboot.proto.CanalPacketProtos.Sub;
import dev.canalboot.proto.CanalPacketProtos.Unsub;
import dev.canalboot.source.SourceException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.canalboot.source.SourceCounters;

/**
 * One session with a Canal server over one channel: handshake, authentication and subscription, then
 * GET requests answered in order by MESSAGES, and ACK/ROLLBACK that the server answers only on error.
 * <p>
 * All state is confined to the channel's event loop: call {@link #get()}, {@link #ack(long)},
 * {@link #rollbackAll()} from it. The first failure closes the channel, fails every pending request and
 * completes {@link #closeFuture()} with the error.
 */
final class CanalConnection {

    /** {@code java.util.concurrent.TimeUnit.MILLISECONDS.ordinal()} as the server reads {@code Get.unit}. */
    private static final int UNIT_MILLISECONDS = 2;
    private static final int LENGTH_FIELD = 4;

    private record Expected(PacketType type, CompletableFuture<Packet> reply) {
    }

    private final CanalSettings settings;
    private final String server;
    private final Deque<Expected> pending = new ArrayDeque<>();
    private final CompletableFuture<SourceException> closed = new CompletableFuture<>();
    private final boolean firstSession;
    private @Nullable Channel channel;
    private @Nullable SourceException failure;

    private CanalConnection(CanalSettings settings, String server, boolean firstSession) {
        this.settings = settings;
        this.server = server;
        this.firstSession = firstSession;
    }

    /**
     * Connects to {@code address} (resolving the host name now), authenticates, subscribes and rolls back
     * whatever an earlier session of this client left unacknowledged.
     *
     * @param firstSession whether the source never had a session: then a rejection by the server (bad
     *                     credentials, unknown destination) is not retryable
     */
    static CompletableFuture<CanalConnection> open(EventLoopGroup group, CanalSettings.HostAndPort address,
                                                   CanalSettings settings, SourceCounters counters,
                                                   boolean firstSession) {
        CanalConnection connection = new CanalConnection(settings, address.toString(), firstSession);
        CompletableFuture<Packet> handshake = new CompletableFuture<>();
        connection.pending.add(new Expected(PacketType.HANDSHAKE, handshake));
        CompletableFuture<CanalConnection> session = new CompletableFuture<>();
        Bootstrap bootstrap = TcpClients.bootstrap(group, settings.connectTimeout(),
                ch -> connection.initPipeline(ch, counters));
        bootstrap.connect(InetSocketAddress.createUnresolved(address.host(), address.port())).addListener(
                (ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        session.completeExceptionally(connection.error("cannot connect", connected.cause(), true));
                        return;
                    }
                    connection.channel = connected.channel();
                    connection.channel.eventLoop().schedule(() -> {
                        if (!session.isDone()) {
                            connection.fail(connection.error(handshake.isDone()
                                    ? "no session (authentication, subscription) within connectTimeout "
                                    + settings.connectTimeout()
                                    : "the server sent no Canal handshake within connectTimeout "
                                    + settings.connectTimeout() + " (is this a Canal server port?)", null, true));
                        }
                    }, settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    connection.closed.thenAccept(session::completeExceptionally);
                    handshake.thenCompose(connection::authenticate)
                            .thenCompose(connection::subscribe)
                            .whenComplete((ok, error) -> {
                                if (error != null) {
                                    connection.fail(asSourceException(connection, error));
                                    session.completeExceptionally(connection.failure);
                                } else {
                                    session.complete(connection);
                                }
                            });
                });
        return session;
    }

    private void initPipeline(SocketChannel ch, SourceCounters counters) {
        long idleMillis = settings.fetchTimeout().toMillis() + settings.readTimeout().toMillis();
        ch.pipeline()
                .addLast("bytes", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof ByteBuf buf) {
                            counters.bytesRead(buf.readableBytes());
                        }
                        ctx.fireChannelRead(msg);
                    }
                })
                .addLast("idle", new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                .addLast("frames", new LengthFieldBasedFrameDecoder(settings.maxFrameSize() + LENGTH_FIELD,
                        0, LENGTH_FIELD, 0, LENGTH_FIELD) {
                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                        // A connection that ends inside a frame lost data: say so instead of "closed".
                        if (internalBuffer().isReadable()) {
                            fail(error("connection closed inside a frame (truncated frame, "
                                    + internalBuffer().readableBytes() + " bytes received)", null, true));
                        }
                        super.channelInactive(ctx);
                    }
                })
                .addLast("packets", new CanalPacketDecoder())
                .addLast("length", new LengthFieldPrepender(LENGTH_FIELD))
                .addLast("protobuf", new ProtobufEncoder())
                .addLast("session", new SessionHandler());
    }

    private CompletableFuture<Packet> authenticate(Packet handshakePacket) {
        Handshake handshake = parse(Handshake.parser(), handshakePacket, "handshake");
        // No destination/client id here: a Canal 1.1.x server would then subscribe during authentication
        // and, for an unknown destination, drop the connection without an answer. The SUBSCRIPTION that
        // follows gets a proper error reply instead.
        ClientAuth auth = ClientAuth.newBuilder()
                .setUsername(settings.username())
                .setPassword(ByteString.copyFromUtf8(CanalPassword.scramble(settings.password(),
                        handshake.getSeeds().toByteArray())))
                .setNetReadTimeout((int) settings.serverIdleTimeout().toMillis())
                .setNetWriteTimeout((int) settings.serverIdleTimeout().toMillis())
                .build();
        return request(PacketType.CLIENTAUTHENTICATION, auth, PacketType.ACK);
    }

    private CompletableFuture<Packet> subscribe(Packet authAck) {
        checkAck(authAck, "authentication (user '" + settings.username() + "')");
        Sub sub = Sub.newBuilder()
                .setDestination(settings.destination())
                .setClientId(settings.clientId())
                .setFilter(settings.subscribeFilter())
                .build();
        return request(PacketType.SUBSCRIPTION, sub, PacketType.ACK).thenApply(subAck -> {
            checkAck(subAck, "subscription");
            // Batches fetched by an earlier session but never acknowledged come again, from the last ack.
            rollbackAll();
            return subAck;
        });
    }

    /**
     * Requests the next batch; completes with the MESSAGES answer (batch id -1 when nothing arrived).
     *
     * @param waitMillis how long the server may wait to fill the batch; 0 answers at once with what it holds
     *                   (sent as timeout -1: the server reads a timeout of 0 as "wait for a full batch")
     */
    CompletableFuture<Messages> get(long waitMillis) {
        Get get = Get.newBuilder()
                .setDestination(settings.destination())
                .setClientId(settings.clientId())
                .setFetchSize(settings.batchSize())
                .setTimeout(waitMillis > 0 ? waitMillis : -1)
                .setUnit(UNIT_MILLISECONDS)
                .setAutoAck(false)
                .build();
        return request(PacketType.GET, get, PacketType.MESSAGES)
                .thenApply(packet -> parse(Messages.parser(), packet, "messages"));
    }

    /** Acknowledges a batch: the server answers only if it rejects it. */
    void ack(long batchId) {
        send(PacketType.CLIENTACK, ClientAck.newBuilder().setDestination(settings.destination())
                .setClientId(settings.clientId()).setBatchId(batchId).build());
    }

    /** Rolls back every unacknowledged batch (batch id 0 means all): they are delivered again. */
    void rollbackAll() {
        send(PacketType.CLIENTROLLBACK, ClientRollback.newBuilder().setDestination(settings.destination())
                .setClientId(settings.clientId()).setBatchId(0).build());
    }

    /** Removes this client's subscription and cursor on the server. */
    CompletableFuture<Void> unsubscribe() {
        Unsub unsub = Unsub.newBuilder().setDestination(settings.destination()).setClientId(settings.clientId())
                .setFilter(settings.subscribeFilter()).build();
        return request(PacketType.UNSUBSCRIPTION, unsub, PacketType.ACK)
                .thenAccept(ack -> checkAck(ack, "unsubscription"));
    }

    /** Completes (never exceptionally) with the error that ended the session. */
    CompletableFuture<SourceException> closeFuture() {
        return closed;
    }

    String server() {
        return server;
    }

    boolean isOpen() {
        return failure == null;
    }

    /**
     * Ends the session; pending requests fail with a non-retryable "closed" error. Only the sending side is
     * shut at first: closing a socket with unread answers in it resets the connection, and the server
     * would then drop what it had not read yet, such as a last ack. The channel closes when the server
     * closes its side, or after {@code linger}.
     *
     * @return completes when the channel is closed
     */
    CompletableFuture<Void> close(java.time.Duration linger) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (channel == null) {
            done.complete(null);
            return done;
        }
        channel.closeFuture().addListener(closedFuture -> done.complete(null));
        if (failure == null && channel.isActive() && channel instanceof SocketChannel socket) {
            failPending(error("connection closed by the client", null, false));
            socket.shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), linger.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            fail(error("connection closed by the client", null, false));
        }
        return done;
    }

    private CompletableFuture<Packet> request(PacketType type, MessageLite body, PacketType replyType) {
        CompletableFuture<Packet> reply = new CompletableFuture<>();
        if (failure != null) {
            reply.completeExceptionally(failure);
            return reply;
        }
        pending.add(new Expected(replyType, reply));
        send(type, body);
        return reply;
    }

    private void send(PacketType type, MessageLite body) {
        if (failure != null) {
            return;
        }
        Packet packet = Packet.newBuilder().setVersion(1).setType(type).setBody(body.toByteString()).build();
        channel.writeAndFlush(packet).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                fail(error("cannot send " + type, written.cause(), true));
            }
        });
    }

    private void onPacket(Packet packet) {
        if (failure != null) {
            return; // answers still arriving after close(): nothing waits for them
        }
        Expected expected = pending.poll();
        if (packet.getCompression() != Compression.NONE
                && packet.getCompression() != Compression.COMPRESSIONCOMPATIBLEPROTO2) {
            fail(error("server sent a " + packet.getCompression() + "-compressed packet; only uncompressed "
                    + "packets are supported", null, false));
            return;
        }
        if (expected == null) {
            fail(error("protocol error: unexpected " + packet.getType() + " packet with no request pending",
                    null, false));
            return;
        }
        if (packet.getType() == PacketType.ACK && expected.type() != PacketType.ACK) {
            Ack ack = parse(Ack.parser(), packet, "ack");
            fail(error("server rejected a request while " + expected.type() + " was awaited: error "
                    + ack.getErrorCode() + " " + ack.getErrorMessage(), null, true));
            return;
        }
        if (packet.getType() != expected.type()) {
            fail(error("protocol error: expected " + expected.type() + " but the server sent " + packet.getType(),
                    null, false));
            return;
        }
        expected.reply().complete(packet);
    }

    private void checkAck(Packet packet, String what) {
        Ack ack = parse(Ack.parser(), packet, "ack");
        if (ack.getErrorCode() != 0) {
            throw error("server rejected the " + what + ": error " + ack.getErrorCode() + " "
                    + ack.getErrorMessage(), null, !firstSession);
        }
    }

    private <T> T parse(Parser<T> parser, Packet packet, String what) {
        try {
            return parser.parseFrom(packet.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw error("corrupt " + what + " body in a " + packet.getType() + " packet", e, false);
        }
    }

    /** Records the first failure, fails every pending request and closes the channel. */
    private void fail(SourceException error) {
        if (failure != null) {
            return;
        }
        failPending(error);
        if (channel != null) {
            channel.close();
        }
    }

    private void failPending(SourceException error) {
        failure = error;
        Expected expected;
        while ((expected = pending.poll()) != null) {
            expected.reply().completeExceptionally(error);
        }
        closed.complete(error);
    }

    SourceException error(String what, @Nullable Throwable cause, boolean retryable) {
        String reason = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return new SourceException("Canal source '" + settings.name() + "' at " + server + ", destination '"
                + settings.destination() + "': " + what + reason, cause, retryable);
    }

    private static SourceException asSourceException(CanalConnection connection, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof SourceException source ? source : connection.error("session failed", cause, false);
    }

    private final class SessionHandler extends SimpleChannelInboundHandler<Packet> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
            onPacket(packet);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(error("connection closed by the server", null, true));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && !pending.isEmpty()) {
                fail(error("no answer to " + pending.peek().type() + " request for fetchTimeout + readTimeout ("
                        + (settings.fetchTimeout().plus(settings.readTimeout())) + ")", null, true));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                fail(error("frame larger than maxFrameSize " + settings.maxFrameSize()
                        + " bytes (is this a Canal server port? else raise maxFrameSize)", cause, false));
            } else if (cause instanceof io.netty.handler.codec.DecoderException) {
                fail(error("corrupt frame", cause, false));
            } else if (cause instanceof IOException) {
                fail(error("connection failed", cause, true));
            } else {
                fail(error("unexpected error", cause, false));
            }
        }
    }
}
