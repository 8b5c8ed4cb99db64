package dev.canalboot.internal.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelId;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.io.Serial;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The TCP client set-up that the Canal and the MySQL/MariaDB connections share. */
public final class TcpClients {

    private TcpClients() {
    }

    /**
     * The buffers of client channels: unpooled. Netty's pooling allocators (the adaptive default, the pooled one)
     * emit JFR events, and the first chunk they allocate loads the event class, which registers it with the JDK's
     * Flight Recorder: JFR's whole metadata repository is initialised on the connection's thread, recording or
     * not, before the server's greeting is read (about 0.3-0.5 s of a cold start, benchmarks/PROFILE.md). One
     * connection reads large socket buffers and hands out slices of them, so pooling saves little here.
     */
    static final UnpooledByteBufAllocator ALLOCATOR = UnpooledByteBufAllocator.DEFAULT;

    /**
     * A bootstrap for one client connection on {@code group}: NIO, the given connect timeout, no Nagle delay
     * (both protocols are small request/response exchanges), TCP keep-alive and {@link #ALLOCATOR} for buffers.
     *
     * @param pipeline sets up the pipeline of the new channel
     */
    public static Bootstrap bootstrap(EventLoopGroup group, Duration connectTimeout,
                                      Consumer<SocketChannel> pipeline) {
        return new Bootstrap().group(group).channelFactory(ClientChannel::new)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, ALLOCATOR)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                });
    }

    /**
     * A client channel whose id is a number from a counter. Netty's default id reads the machine's MAC address
     * and the process id in its class initialisation (network interfaces, {@code ProcessHandle}, a thread pool):
     * the first connection of a fresh JVM paid for that before its first byte (benchmarks/PROFILE.md). The id
     * only names the channel in Netty's own messages.
     */
    static final class ClientChannel extends NioSocketChannel {

        private static final AtomicLong NEXT_ID = new AtomicLong();

        @Override
        protected ChannelId newId() {
            return new SequenceId(NEXT_ID.incrementAndGet());
        }
    }

    /**
     * A channel id unique within this JVM. A class, not a record: a record's equals and hashCode are linked
     * through invokedynamic on first use, and Netty takes a channel's hash code from its id.
     */
    static final class SequenceId implements ChannelId {

        @Serial
        private static final long serialVersionUID = 1L;

        private final long value;

        SequenceId(long value) {
            this.value = value;
        }

        @Override
        public String asShortText() {
            return Long.toHexString(value);
        }

        @Override
        public String asLongText() {
            return "tcp-client-" + Long.toHexString(value);
        }

        @Override
        public int compareTo(ChannelId other) {
            return other instanceof SequenceId id ? Long.compare(value, id.value)
                    : asLongText().compareTo(other.asLongText());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SequenceId id && id.value == value;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value);
        }

        @Override
        public String toString() {
            return asShortText();
        }
    }
}
