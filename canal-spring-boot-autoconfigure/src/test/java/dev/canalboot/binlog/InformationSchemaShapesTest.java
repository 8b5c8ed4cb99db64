package dev.canalboot.binlog;

import dev.canalboot.binlog.protocol.ConnectionSettings;
import dev.canalboot.binlog.protocol.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
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

class InformationSchemaShapesTest {

    static EventLoopGroup group;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static EmbeddedDatabase server(String kind) {
        return kind.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void columnsInOrderWithTypesCharsetsAndPrimaryKeyCachedUntilInvalidated(String kind) {
        EmbeddedDatabase server = server(kind);
        server.execute("CREATE DATABASE IF NOT EXISTS binlog_conn_shapes",
                "DROP TABLE IF EXISTS binlog_conn_shapes.`it's`",
                "CREATE TABLE binlog_conn_shapes.`it's` (b VARCHAR(10) CHARACTER SET latin1, a INT UNSIGNED,"
                        + " c ENUM('x','y') CHARACTER SET utf8mb4, PRIMARY KEY (a, b))");
        DatabaseUser user = server.users().get(0);
        try (InformationSchemaShapes shapes = new InformationSchemaShapes(ConnectionSettings.of(server.host(),
                server.port(), user.name(), user.password()).withTls(TlsSettings.DISABLED), group, Duration.ofSeconds(20))) {
            assertThat(shapes.columns("binlog_conn_shapes", "it's")).containsExactly(
                    new ColumnShape("b", "varchar", "varchar(10)", "latin1", true),
                    new ColumnShape("a", "int", kind.equals("mysql") ? "int unsigned" : "int(10) unsigned", null, true),
                    new ColumnShape("c", "enum", "enum('x','y')", "utf8mb4", false));
            server.execute("ALTER TABLE binlog_conn_shapes.`it's` ADD COLUMN d BIGINT");
            assertThat(shapes.columns("binlog_conn_shapes", "it's")).as("cached").hasSize(3);
            shapes.invalidate("binlog_conn_shapes", "it's");
            assertThat(shapes.columns("binlog_conn_shapes", "it's")).hasSize(4);
            assertThat(shapes.columns("binlog_conn_shapes", "not_yet")).isEmpty();
            server.execute("CREATE TABLE binlog_conn_shapes.not_yet (id INT)");
            assertThat(shapes.columns("binlog_conn_shapes", "not_yet")).as("unknown tables are not cached").hasSize(1);
        }
    }
}
