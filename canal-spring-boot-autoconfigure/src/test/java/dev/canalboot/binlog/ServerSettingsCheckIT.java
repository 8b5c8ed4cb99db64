package dev.canalboot.binlog;

import dev.canalboot.source.ReconnectPolicy;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server whose binlog cannot feed the source is refused at connect time with what to change, not at the first
 * change: a MariaDB 11.4 of this test's own, started with {@code --binlog-format=STATEMENT}.
 */
class ServerSettingsCheckIT {

    static EmbeddedMariaDb server;

    @BeforeAll
    static void startServer() {
        server = EmbeddedMariaDb.builder().serverOption("--binlog-format=STATEMENT").start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    BinlogChangeSource source() {
        DatabaseUser user = server.users().get(0);
        return new BinlogChangeSource(BinlogSourceSettings.builder("settings", server.host(), server.port(),
                        user.name(), user.password())
                .serverId(12001).tls(TlsSettings.DISABLED).connectTimeout(Duration.ofSeconds(5))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(200), ReconnectPolicy.FOREVER).build());
    }

    @Test
    void aStatementFormatServerIsRefusedAtStartWithTheSettingToChange() {
        BinlogChangeSource source = source();
        try {
            assertThatThrownBy(source::start).isInstanceOfSatisfying(SourceException.class,
                            e -> assertThat(e.isRetryable()).isFalse())
                    .hasMessageContaining(server.host() + ":" + server.port())
                    .hasMessageContaining("STATEMENT format")
                    .hasMessageContaining("SET GLOBAL binlog_format = ROW")
                    .hasMessageContaining("binlog_format = ROW in the [mysqld] section of my.cnf");
            assertThat(source.state()).isEqualTo(SourceState.FAILED);
        } finally {
            source.close();
        }
    }

    @Test
    void aMinimalRowImageIsRefusedAtStartWithTheSettingToChange() {
        server.execute("SET GLOBAL binlog_format = ROW", "SET GLOBAL binlog_row_image = MINIMAL");
        BinlogChangeSource source = source();
        try {
            assertThatThrownBy(source::start).isInstanceOfSatisfying(SourceException.class,
                            e -> assertThat(e.isRetryable()).isFalse())
                    .hasMessageContaining("MINIMAL row images")
                    .hasMessageContaining("SET GLOBAL binlog_row_image = FULL");
        } finally {
            source.close();
            server.execute("SET GLOBAL binlog_row_image = FULL", "SET GLOBAL binlog_format = STATEMENT");
        }
    }
}
