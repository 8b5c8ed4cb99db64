package dev.canalboot.internal.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.time.Duration;
import java.util.function.Consumer;

/** The TCP client set-up that the Canal and the MySQL/MariaDB connections share. */
public final class TcpClients {

    private TcpClients() {
    }

    /**
     * A bootstrap for one client connection on {@code group}: NIO, the given connect timeout, no Nagle delay
     * (both protocols are small request/response exchanges) and TCP keep-alive.
     *
     * @param pipeline sets up the pipeline of the new channel
     */
    public static Bootstrap bootstrap(EventLoopGroup group, Duration connectTimeout,
                                      Consumer<SocketChannel> pipeline) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline.accept(ch);
                    }
                });
    }
}
