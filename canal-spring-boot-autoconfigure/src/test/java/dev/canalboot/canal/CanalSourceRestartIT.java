package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.SchemaFixture;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static dev.canalboot.canal.CanalSourceContract.batchWithRows;
import static dev.canalboot.canal.CanalSourceContract.ids;
import static dev.canalboot.canal.CanalSourceContract.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Canal source started again after {@code close()} or a failure, against a real Canal 1.1.7 server on MySQL. */
class CanalSourceRestartIT {

    static final String SCHEMA = "cs_restart";
    static final String PASSWORD = "s3cret";

    @RegisterExtension
    final SchemaFixture fixture = new SchemaFixture(TestServers.mysql(), SCHEMA);
    final EmbeddedDatabase database = fixture.database();

    EmbeddedCanalServer.Builder canal() {
        return EmbeddedCanalServer.builder(database).destination(SCHEMA).filter(SCHEMA + "\\..*")
                .credentials("canal", CanalPassword.serverHash(PASSWORD));
    }

    EmbeddedCanalServer started(EmbeddedCanalServer.Builder builder) {
        EmbeddedCanalServer server = builder.start();
        fixture.closeLater(server);
        return server;
    }

    CanalChangeSource source(EmbeddedCanalServer server, int maxReconnectAttempts) {
        CanalChangeSource source = new CanalChangeSource(CanalSettings.builder("canal-restart", server.destination())
                .address(server.host() + ":" + server.port())
                .credentials("canal", PASSWORD)
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .maxReconnectAttempts(maxReconnectAttempts)
                .build());
        fixture.closeLater(source);
        return source;
    }

    void insert(int... ids) {
        for (int id : ids) {
            database.execute("INSERT INTO " + SCHEMA + ".t VALUES (" + id + ")");
        }
    }

    String[] binlogPosition() throws Exception {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(null), database.rootUser(),
                database.rootPassword());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return new String[]{rs.getString(1), rs.getString(2)};
        }
    }

    @Test
    void startedAgainAfterCloseItDeliversFromTheLastAcknowledgedBatch() throws Exception {
        EmbeddedCanalServer server = started(canal());
        CanalChangeSource source = source(server, -1);
        source.start();
        insert(1);
        assertThat(ids(rows(source, 1, r -> true))).containsExactly(1);
        insert(2);
        ChangeBatch unacknowledged = batchWithRows(source);
        assertThat(ids(unacknowledged.events())).containsExactly(2);
        long batchesBefore = source.statistics().batches();

        source.close();
        source.close(); // still idempotent
        assertThat(source.state()).isEqualTo(SourceState.STOPPED);
        insert(3);

        source.start();
        assertThatThrownBy(source::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("close it before starting it again");
        // 2 comes again (the server rolled it back); the acknowledged 1 does not.
        assertThat(ids(rows(source, 2, r -> true))).containsExactly(2, 3);
        assertThatThrownBy(() -> source.ack(unacknowledged)).isInstanceOf(IllegalArgumentException.class);
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source.statistics().batches()).as("counters keep counting").isGreaterThan(batchesBefore);
    }

    /**
     * What an operator meets: the Canal server was away longer than the source's reconnection attempts and the
     * source failed; once the server is back, starting the source again delivers what was written meanwhile.
     */
    @Test
    void aServerNotUpYetAtStartUpIsRetriedWithTheReconnectBackOffAndThenDelivers() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CanalChangeSource source = new CanalChangeSource(CanalSettings.builder("canal-early", SCHEMA)
                .address("127.0.0.1:" + port)
                .credentials("canal", PASSWORD)
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build()); // no reconnect limit
        fixture.closeLater(source);
        source.start(); // nothing listens on the port yet: refused
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);
        assertThat(source.poll(Duration.ofMillis(300))).isNull();
        assertThat(source.statistics().reconnects()).as("retried in the background").isPositive();

        started(canal().port(port));
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (source.state() != SourceState.CONNECTED && System.nanoTime() < guard) {
            assertThat(source.poll(Duration.ofMillis(50))).isNull();
        }
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        insert(7);
        assertThat(ids(rows(source, 1, r -> true))).containsExactly(7);
    }

    @Test
    void aServerThatComesUpWithoutTheDestinationFailsTheSourceInsteadOfBeingRetriedForever() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CanalChangeSource source = new CanalChangeSource(CanalSettings.builder("canal-early", "nope")
                .address("127.0.0.1:" + port)
                .credentials("canal", PASSWORD)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(300))
                .build()); // no reconnect limit
        fixture.closeLater(source);
        source.start();
        assertThat(source.state()).isEqualTo(SourceState.RECONNECTING);

        started(canal().port(port)); // runs destination SCHEMA, not 'nope'
        SourceException error = awaitFailure(source);
        assertThat(error.isRetryable()).isFalse();
        assertThat(error.getMessage()).contains("'nope'").contains("subscription");
    }

    @Test
    void startedAgainAfterAFailureItDeliversWhatWasWrittenMeanwhile() throws Exception {
        EmbeddedCanalServer server = started(canal());
        int port = server.port();
        CanalChangeSource source = source(server, 0);
        source.start();
        insert(1);
        assertThat(ids(rows(source, 1, r -> true))).containsExactly(1);
        String[] afterFirst = binlogPosition();

        server.close();
        SourceException error = awaitFailure(source);
        assertThat(error.getMessage()).contains("gave up reconnecting to destination").contains("after 0 attempts");
        assertThat(source.lastError()).isSameAs(error);

        // This test server keeps its cursor in memory: it comes back at the position the source had acknowledged.
        started(canal().port(port).binlogPosition(afterFirst[0], Long.parseLong(afterFirst[1])));
        insert(2);
        source.close();
        source.start();
        assertThat(ids(rows(source, 1, r -> true))).containsExactly(2);
        assertThat(source.lastError()).isNull();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }

    /** Polls until the source throws its failure; a generous guard against hanging. */
    static SourceException awaitFailure(CanalChangeSource source) throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < guard) {
            try {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch != null) {
                    source.ack(batch);
                }
            } catch (SourceException e) {
                assertThat(source.state()).isEqualTo(SourceState.FAILED);
                return e;
            }
        }
        throw new AssertionError("the source did not fail; state " + source.state());
    }
}
