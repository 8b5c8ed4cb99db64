package dev.canalboot.internal.binlog.protocol;

import com.sun.net.httpserver.HttpServer;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.source.SourceException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A peer that is not a MySQL server is named as such, whether it stays silent or says something else. */
class ForeignPeerTest {

    static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static ConnectionSettings settings(int port) {
        return new ConnectionSettings("127.0.0.1", port, "canal", "secret", null, TlsSettings.DISABLED,
                Duration.ofMillis(500));
    }

    @Test
    void anHttpServerIsNamedAsSomethingThatIsNotAMySqlServer() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.start();
        try {
            int port = http.getAddress().getPort();
            assertThatThrownBy(() -> MySqlConnection.open(group, settings(port)))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("Nothing answered at 127.0.0.1:" + port)
                    .hasMessageContaining("not one")
                    .hasMessageContaining("check the host and port");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aPeerThatSpeaksFirstButNotMySqlIsNamedAsNotAMySqlServer() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread banner = new Thread(() -> {
                try (Socket client = peer.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(2000);
                } catch (Exception e) {
                    // the test ended
                }
            });
            banner.setDaemon(true);
            banner.start();
            assertThatThrownBy(() -> MySqlConnection.open(group, settings(peer.getLocalPort())))
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining("is not a MySQL/MariaDB server")
                    .hasMessageContaining("no MySQL greeting");
        }
    }
}
