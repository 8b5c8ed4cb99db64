package dev.canalboot.internal.binlog.protocol;

import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connection phase: reads the server's handshake, negotiates capabilities and TLS, answers the auth
 * plugin's exchange (auth switch, caching_sha2 fast/full authentication) and completes {@code done} with the
 * session's {@link ServerInfo} on OK, or fails it with a {@link SourceException} naming login and cause.
 * Removes itself when the connection phase ends.
 */
final class AuthHandler extends SimpleChannelInboundHandler<Packet> {

    /** utf8mb4_general_ci: known to MySQL 5.5+ and every MariaDB. */
    static final int UTF8MB4_GENERAL_CI = 45;
    private static final int MAX_PACKET = 1 << 30;

    private final ConnectionSettings settings;
    private final Promise<ServerInfo> done;
    private volatile InitialHandshake handshake;
    private long capabilities;
    private boolean tls;
    private String plugin;
    private byte[] scramble;
    private boolean awaitingPublicKey;
    private boolean fullAuthentication;

    AuthHandler(ConnectionSettings settings, Promise<ServerInfo> done) {
        super(false);
        this.settings = settings;
        this.done = done;
    }

    /** Whether the server's greeting (initial handshake) arrived. */
    boolean greeted() {
        return handshake != null;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Packet packet) {
        try {
            if (handshake == null) {
                onHandshake(ctx, packet);
            } else {
                onAuthResponse(ctx, packet);
            }
        } catch (SourceException e) {
            fail(ctx, e);
        } finally {
            packet.release();
        }
    }

    private void onHandshake(ChannelHandlerContext ctx, Packet packet) {
        if (packet.isErr()) {
            ErrPacket err = ErrPacket.decode(packet.payload());
            // 1040 too many connections, 1129 host blocked... only the first goes away on its own.
            throw new MySqlServerException("Server " + settings.address() + " refused the connection: " + err,
                    err, err.code() == 1040);
        }
        handshake = InitialHandshake.decode(packet.payload());
        long server = handshake.capabilities();
        if (!Capabilities.has(server, Capabilities.REQUIRED)) {
            throw new MySqlProtocolException("Server " + settings.address() + " (" + handshake.serverVersion()
                    + ") lacks protocol 4.1 with plugin authentication; it is too old for this client");
        }
        long wanted = Capabilities.CLIENT_WANTS;
        if (handshake.isMariaDb()) {
            // Without CLIENT_MYSQL a MariaDB server reads the extended capabilities (none wanted here).
            wanted &= ~Capabilities.CLIENT_MYSQL;
        }
        if (settings.database() != null) {
            wanted |= Capabilities.CONNECT_WITH_DB;
        }
        capabilities = wanted & server & 0xFFFFFFFFL;
        TlsMode mode = settings.tls().mode();
        boolean serverTls = Capabilities.has(server, Capabilities.SSL);
        if (mode != TlsMode.DISABLED && serverTls) {
            capabilities |= Capabilities.SSL;
            ByteBuf request = ctx.alloc().buffer(32);
            writeLoginHeader(request);
            ctx.writeAndFlush(new OutboundPacket(request, false));
            SslHandler ssl = TlsContexts.newHandler(settings.tls(), ctx.alloc(), settings.host(), settings.port());
            ctx.pipeline().addFirst("tls", ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    tls = true;
                    sendHandshakeResponse(ctx);
                } else {
                    fail(ctx, new SourceException("TLS handshake with " + settings.address() + " failed ("
                            + settings.tls().mode() + "): " + f.cause(), f.cause(), false));
                }
            });
            return;
        }
        if (mode.compareTo(TlsMode.REQUIRED) >= 0) {
            throw new SourceException("TLS mode " + mode + " but server " + settings.address()
                    + " does not offer TLS", null, false);
        }
        sendHandshakeResponse(ctx);
    }

    private void writeLoginHeader(ByteBuf buf) {
        buf.writeIntLE((int) capabilities);
        buf.writeIntLE(MAX_PACKET);
        buf.writeByte(UTF8MB4_GENERAL_CI);
        buf.writeZero(23);
    }

    private void sendHandshakeResponse(ChannelHandlerContext ctx) {
        scramble = handshake.scramble();
        // Start with the server's default plugin when it is a scramble of the greeting's 20 bytes; otherwise
        // offer one and let the server switch (where ed25519 gets its own scramble, and an unsupported
        // plugin is reported).
        String offered = handshake.authPlugin();
        plugin = AuthPlugins.NATIVE.equals(offered) || AuthPlugins.CACHING_SHA2.equals(offered) ? offered
                : handshake.isMariaDb() ? AuthPlugins.NATIVE : AuthPlugins.CACHING_SHA2;
        byte[] auth = AuthPlugins.scramble(plugin, settings.password(), scramble);
        ByteBuf buf = ctx.alloc().buffer(128);
        writeLoginHeader(buf);
        PacketFields.writeNulTerminated(buf, settings.user());
        if (Capabilities.has(capabilities, Capabilities.PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            PacketFields.writeLengthEncodedBytes(buf, auth);
        } else {
            buf.writeByte(auth.length).writeBytes(auth);
        }
        if (Capabilities.has(capabilities, Capabilities.CONNECT_WITH_DB)) {
            PacketFields.writeNulTerminated(buf, settings.database());
        }
        PacketFields.writeNulTerminated(buf, plugin);
        if (Capabilities.has(capabilities, Capabilities.CONNECT_ATTRS)) {
            ByteBuf attrs = ctx.alloc().buffer();
            for (Map.Entry<String, String> e : connectAttributes().entrySet()) {
                PacketFields.writeLengthEncodedBytes(attrs, e.getKey().getBytes(StandardCharsets.UTF_8));
                PacketFields.writeLengthEncodedBytes(attrs, e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            PacketFields.writeLengthEncoded(buf, attrs.readableBytes());
            buf.writeBytes(attrs);
            attrs.release();
        }
        ctx.writeAndFlush(new OutboundPacket(buf, false));
    }

    private static Map<String, String> connectAttributes() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("_client_name", "canal-spring-boot-starter");
        attrs.put("program_name", "canal-spring-boot-starter");
        return attrs;
    }

    private void onAuthResponse(ChannelHandlerContext ctx, Packet packet) {
        ByteBuf payload = packet.payload();
        switch (packet.header()) {
            case 0x00 -> succeed(ctx);
            case 0xFF -> {
                ErrPacket err = ErrPacket.decode(payload);
                throw new MySqlServerException("Authentication of " + settings.login() + " failed: " + err,
                        err, false);
            }
            case 0xFE -> onAuthSwitch(ctx, payload);
            case 0x01 -> onAuthMoreData(ctx, payload);
            default -> throw new MySqlProtocolException("Unexpected packet 0x" + Integer.toHexString(packet.header())
                    + " from " + settings.address() + " while authenticating " + settings.login());
        }
    }

    private void onAuthSwitch(ChannelHandlerContext ctx, ByteBuf payload) {
        ByteBuf buf = payload.duplicate().skipBytes(1);
        plugin = PacketFields.readNulTerminated(buf);
        byte[] data = new byte[buf.readableBytes()];
        buf.readBytes(data);
        scramble = AuthPlugins.switchScramble(plugin, data);
        awaitingPublicKey = false;
        send(ctx, AuthPlugins.scramble(plugin, settings.password(), scramble));
    }

    private void onAuthMoreData(ChannelHandlerContext ctx, ByteBuf payload) {
        if (!AuthPlugins.CACHING_SHA2.equals(plugin)) {
            throw new MySqlProtocolException("Unexpected auth data for plugin " + plugin + " from "
                    + settings.address());
        }
        ByteBuf data = payload.duplicate().skipBytes(1);
        if (awaitingPublicKey) {
            String pem = data.toString(StandardCharsets.US_ASCII);
            send(ctx, AuthPlugins.rsaEncryptedPassword(settings.password(), scramble, pem));
            awaitingPublicKey = false;
            return;
        }
        int status = data.isReadable() ? data.readUnsignedByte() : -1;
        if (status == AuthPlugins.FAST_AUTH_OK) {
            return; // the OK packet follows
        }
        if (status != AuthPlugins.PERFORM_FULL_AUTH) {
            throw new MySqlProtocolException("Unknown caching_sha2_password status " + status + " from "
                    + settings.address());
        }
        fullAuthentication = true;
        if (tls) {
            send(ctx, AuthPlugins.nulTerminated(settings.password() == null ? "" : settings.password()));
        } else {
            awaitingPublicKey = true;
            send(ctx, new byte[]{AuthPlugins.REQUEST_PUBLIC_KEY});
        }
    }

    private void send(ChannelHandlerContext ctx, byte[] data) {
        ctx.writeAndFlush(new OutboundPacket(ctx.alloc().buffer(data.length).writeBytes(data), false));
    }

    private void succeed(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
        long negotiated = capabilities | (handshake.capabilities() & ~0xFFFFFFFFL);
        done.trySuccess(new ServerInfo(settings.address(), handshake.serverVersion(), handshake.connectionId(),
                handshake.isMariaDb(), negotiated, tls, plugin, fullAuthentication));
    }

    private void fail(ChannelHandlerContext ctx, SourceException e) {
        if (done.tryFailure(e)) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, new SourceException("Server " + settings.address() + " closed the connection while "
                + (handshake == null ? "connecting" : "authenticating " + settings.login()), null, true));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SourceException e = cause instanceof SourceException se ? se
                : cause.getCause() instanceof SourceException se2 ? se2
                : new SourceException("Connecting to " + settings.address() + " failed: " + cause, cause,
                !TlsContexts.isSslException(cause));
        fail(ctx, e);
    }
}
