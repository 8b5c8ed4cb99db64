package dev.canalboot.canal;

import com.sun.net.httpserver.HttpServer;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pointing the source at a server that speaks another protocol gives a clear error, not a hang. */
class CanalForeignServerIT {

    @Test
    void aMySqlPortIsRecognisedAsNotCanal() {
        EmbeddedMySql mysql = TestServers.mysql();
        String address = mysql.host() + ":" + mysql.port();
        try (CanalChangeSource source = new CanalChangeSource(CanalSettings.builder("foreign", "example")
                .address(address).build())) {
            assertThatThrownBy(source::start)
                    .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                    .hasMessageContaining(address).hasMessageContaining("'example'")
                    .hasMessageContaining("is this a Canal server port?");
            assertThat(source.state()).isEqualTo(SourceState.FAILED);
        }
    }

    @Test
    void anHttpServerIsRecognisedAsNotCanal() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.start();
        String address = "127.0.0.1:" + http.getAddress().getPort();
        try (CanalChangeSource source = new CanalChangeSource(CanalSettings.builder("foreign", "example")
                .address(address).connectTimeout(Duration.ofMillis(500)).maxReconnectAttempts(0).build())) {
            assertThatThrownBy(source::start)
                    .isInstanceOf(SourceException.class)
                    .hasMessageContaining(address).hasMessageContaining("'example'")
                    .hasMessageContaining("no Canal handshake within connectTimeout");
        } finally {
            http.stop(0);
        }
    }
}
