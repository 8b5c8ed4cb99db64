package dev.canalboot.actuate;

import dev.canalboot.testsupport.TestContainers.Fixture;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.canalboot.testsupport.TestContainers.endpoint;
import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's {@code restart} of a listener container over a binlog source reading a real MySQL 8.0.31:
 * after the source failed on an error an operator fixed, delivery goes on with what was written meanwhile.
 */
class CanalEndpointRestartMySqlIT {

    static final String TABLE = "endpoint_restart.orders";
    static final String USER = "endpoint_restart";

    final EmbeddedMySql server = TestServers.mysql();
    final RecordingInvoker invoker = new RecordingInvoker();
    final BinlogChangeSource source;
    final Fixture fixture;
    final CanalEndpoint endpoint;

    CanalEndpointRestartMySqlIT() {
        server.execute("CREATE DATABASE IF NOT EXISTS endpoint_restart",
                "CREATE TABLE IF NOT EXISTS " + TABLE + " (id BIGINT PRIMARY KEY)",
                "DELETE FROM " + TABLE,
                "DROP USER IF EXISTS " + USER + "@'%'",
                "CREATE USER " + USER + "@'%' IDENTIFIED BY 'endpoint-pw'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO " + USER + "@'%'");
        source = new BinlogChangeSource(BinlogSourceSettings.builder("main", "127.0.0.1", server.port(), USER,
                        "endpoint-pw")
                .serverId(8801)
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500), 2)
                .build());
        fixture = new Fixture(source, 10, endpoint("orders", invoker, TABLE));
        endpoint = new CanalEndpoint(fixture.monitors);
    }

    @AfterEach
    void stop() {
        fixture.container.stop();
    }

    void insert(long id) {
        server.execute("INSERT INTO " + TABLE + " VALUES (" + id + ")");
    }

    List<Object> delivered() {
        return invoker.received.stream().map(RowChange::after).map(row -> row.get("id")).toList();
    }

    @Test
    void restartAfterTheSourceFailedDeliversWhatWasWrittenMeanwhile() {
        fixture.container.start();
        await(() -> "CONNECTED".equals(endpoint.source("main").sourceState()), "source connected");
        insert(1);
        await(() -> invoker.received.size() == 1, "row 1 delivered");

        // The replication privilege is taken away: the reconnect after the KILL fails for good.
        server.execute("REVOKE REPLICATION SLAVE ON *.* FROM " + USER + "@'%'", "KILL " + source.connectionId());
        insert(2);
        await(() -> fixture.container.getState() == ContainerState.FAILED, "container failed");
        assertThat(endpoint.source("main").lastError()).contains(USER).contains("lacks a privilege");

        server.execute("GRANT REPLICATION SLAVE ON *.* TO " + USER + "@'%'");
        insert(3);
        CanalEndpoint.SourceDescriptor afterRestart = endpoint.control("main", "restart");
        assertThat(afterRestart.containerState()).isIn("STARTING", "RUNNING");
        await(() -> invoker.received.size() == 3, "rows 2 and 3 delivered after the restart");
        assertThat(delivered()).containsExactly(1L, 2L, 3L);
        assertThat(fixture.container.getState()).isEqualTo(ContainerState.RUNNING);
        assertThat(endpoint.source("main").lastError()).isNull();
        assertThat(endpoint.source("main").sourceState()).isEqualTo("CONNECTED");

        insert(4); // and it keeps going
        await(() -> invoker.received.size() == 4, "row 4 delivered");
        assertThat(delivered()).containsExactly(1L, 2L, 3L, 4L);
    }
}
