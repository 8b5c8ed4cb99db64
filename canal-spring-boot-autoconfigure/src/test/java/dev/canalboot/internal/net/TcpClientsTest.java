package dev.canalboot.internal.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TcpClientsTest {

    /**
     * Netty's pooling allocators register JFR event classes on their first chunk, which initialises the JDK's
     * Flight Recorder metadata on the connection's thread of a cold JVM: the bytes a client channel reads must
     * come from the unpooled allocator.
     */
    @Test
    void clientChannelsReadIntoUnpooledBuffers() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<ByteBuf> firstRead = new CompletableFuture<>();
            Channel channel = TcpClients.bootstrap(group, Duration.ofSeconds(10), ch -> ch.pipeline().addLast(
                    new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            firstRead.complete((ByteBuf) msg);
                        }
                    })).connect(server.getLocalSocketAddress()).sync().channel();
            try (Socket accepted = server.accept()) {
                OutputStream out = accepted.getOutputStream();
                out.write(new byte[]{1, 2, 3});
                out.flush();
                ByteBuf read = firstRead.get(30, TimeUnit.SECONDS);
                try {
                    assertThat(read.readableBytes()).isPositive();
                    assertThat(read.alloc()).isInstanceOf(UnpooledByteBufAllocator.class);
                    assertThat(channel.alloc()).isSameAs(TcpClients.ALLOCATOR);
                } finally {
                    read.release();
                }
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
