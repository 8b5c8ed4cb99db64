package dev.canalboot.binlog;

import dev.canalboot.source.ReconnectPolicy;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A server restart (clean shutdown, same port and data) is survived: the source resumes where it was. */
class ServerRestartIT {

    @Test
    void resumesAfterTheServerRestarts() throws Exception {
        try (EmbeddedMySql server = EmbeddedMySql.builder().gtid(true).start()) {
            server.execute("CREATE DATABASE restart_test", "CREATE TABLE restart_test.t (id INT PRIMARY KEY)");
            DatabaseUser user = server.users().get(0);
            BinlogSourceSettings settings = BinlogSourceSettings.builder("restart", server.host(), server.port(),
                            user.name(), user.password()).tls(TlsSettings.DISABLED).serverId(9001)
                    .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10))
                    .reconnect(Duration.ofMillis(200), Duration.ofSeconds(2), ReconnectPolicy.FOREVER).build();
            try (BinlogChangeSource source = new BinlogChangeSource(settings)) {
                source.start();
                server.execute("INSERT INTO restart_test.t VALUES (1)");
                BinlogChangeSourceMySqlIT.pollUntil(source, BinlogChangeSourceMySqlIT.commits(1), true);
                server.restart();
                server.execute("INSERT INTO restart_test.t VALUES (2)");
                List<RowChange> rows = BinlogChangeSourceMySqlIT.rows(
                        BinlogChangeSourceMySqlIT.pollUntil(source, BinlogChangeSourceMySqlIT.commits(1), true));
                assertThat(rows).extracting(r -> r.row().getInteger("id")).containsExactly(2);
                assertThat(source.statistics().reconnects()).isGreaterThanOrEqualTo(1);
                assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
            }
        }
    }
}
