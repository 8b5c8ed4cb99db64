package dev.canalboot.internal.binlog.schema;

import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.testsupport.TestServers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What the server says now, and which tables the binlog changes after a position. */
class ServerCatalogIT {

    static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void presentDefinitionsAndTheDdlAfterAPosition(String kind) throws Exception {
        EmbeddedDatabase server = kind.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        server.execute("DROP DATABASE IF EXISTS schema_catalog", "CREATE DATABASE schema_catalog",
                "CREATE TABLE schema_catalog.`it's` (b VARCHAR(10) CHARACTER SET latin1, a INT UNSIGNED,"
                        + " c ENUM('x','y') CHARACTER SET utf8mb4, PRIMARY KEY (a, b)) DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE schema_catalog.calm (id INT)");
        var start = SchemaHistoryStartIT.binlogEnd(server);
        server.execute("ALTER TABLE schema_catalog.`it's` ADD COLUMN d BIGINT",
                "CREATE TABLE schema_catalog.born (id INT)",
                "INSERT INTO schema_catalog.calm VALUES (1)");
        DatabaseUser user = server.users().get(0);
        try (ServerCatalog catalog = new ServerCatalog(ConnectionSettings.of(server.host(), server.port(), user.name(),
                user.password()).withTls(TlsSettings.DISABLED), group, Duration.ofSeconds(20))) {
            TableKey quoted = new TableKey("schema_catalog", "it's");
            ServerCatalog.Present one = catalog.present(quoted);
            assertThat(one.tables()).containsOnlyKeys(quoted);
            assertThat(one.tables().get(quoted).columns()).containsExactly(
                    new ColumnDefinition("b", "varchar", "varchar(10)", "latin1", true),
                    new ColumnDefinition("a", "int", kind.equals("mysql") ? "int unsigned" : "int(10) unsigned", null, true),
                    new ColumnDefinition("c", "enum", "enum('x','y')", "utf8mb4", false),
                    new ColumnDefinition("d", "bigint", kind.equals("mysql") ? "bigint" : "bigint(20)", null, false));
            assertThat(one.tables().get(quoted).charset()).isEqualTo("utf8mb4");
            assertThat(catalog.present(null).tables()).containsKeys(quoted, new TableKey("schema_catalog", "calm"));

            catalog.page = 2; // a few events per SHOW BINLOG EVENTS: the pages join up
            ServerCatalog.LaterDdl later = catalog.laterDdl(start.file(), start.position());
            assertThat(later.reason(quoted)).contains("ADD COLUMN d BIGINT");
            assertThat(later.createdFirst()).containsEntry(new TableKey("schema_catalog", "born"), true)
                    .containsEntry(quoted, false);
            assertThat(later.reason(new TableKey("schema_catalog", "calm"))).isNull();
            assertThat(catalog.mariaDb()).isEqualTo(kind.equals("mariadb"));
        }
    }
}
