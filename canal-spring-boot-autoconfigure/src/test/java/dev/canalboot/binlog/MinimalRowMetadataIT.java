package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.embedded.RowMetadata;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With binlog_row_metadata=MINIMAL the table map carries no column names: the source's information_schema
 * resolver supplies them (and the primary key) over its own query connection.
 */
class MinimalRowMetadataIT {

    @Test
    void columnNamesAndPrimaryKeyComeFromInformationSchema() throws Exception {
        EmbeddedMySql server = TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withRowMetadata(RowMetadata.MINIMAL));
        server.execute("CREATE DATABASE IF NOT EXISTS binlog_conn_minimal",
                "DROP TABLE IF EXISTS binlog_conn_minimal.items",
                // ENUM values come from COLUMN_TYPE here: quoted and escaped by the server
                "CREATE TABLE binlog_conn_minimal.items (code VARCHAR(10), qty INT,"
                        + " kind ENUM('it''s','back\\\\slash','a,b'), PRIMARY KEY (code))");
        DatabaseUser user = server.users().get(0);
        try (BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("minimal", server.host(),
                server.port(), user.name(), user.password()).tls(TlsSettings.DISABLED).serverId(7001)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10)).build())) {
            source.start();
            server.execute("REPLACE INTO binlog_conn_minimal.items VALUES ('abc', 3, 2)");
            List<RowChange> rows = BinlogChangeSourceMySqlIT.rows(
                    BinlogChangeSourceMySqlIT.pollUntil(source, BinlogChangeSourceMySqlIT.commits(1), true));
            RowChange row = rows.get(rows.size() - 1);
            assertThat(row.after().getString("code")).isEqualTo("abc");
            assertThat(row.after().getInteger("qty")).isEqualTo(3);
            assertThat(row.after().getString("kind")).isEqualTo("back\\slash");
            assertThat(row.tableSchema().column(2).elements()).containsExactly("it's", "back\\slash", "a,b");
            assertThat(row.primaryKey()).containsExactly("code");
        }
    }
}
