package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMariaDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.canalboot.binlog.FailoverMySqlIT.insert;
import static dev.canalboot.binlog.FailoverMySqlIT.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover within a MariaDB replication topology: the checkpoint's GTID position (and server: server_id 21) was
 * taken on the primary; the promoted replica (server_id 22, log_slave_updates) has every GTID of it in its binlog,
 * so the source resumes there with exactly the unacknowledged transactions and the checkpoint moves to it.
 */
class FailoverMariaDbIT {

    @TempDir
    Path checkpoints;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    EmbeddedMariaDb start(long serverId) {
        EmbeddedMariaDb server = EmbeddedMariaDb.builder().serverId(serverId)
                .serverOption("--log-slave-updates=ON").start();
        closeables.add(server);
        return server;
    }

    BinlogChangeSource source(EmbeddedDatabase server, FileCheckpointStore store) {
        DatabaseUser user = server.users().get(0);
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("failover", server.host(),
                        server.port(), user.name(), user.password())
                .serverId(42000 + closeables.size()).tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10))
                .start(new StartPosition.Latest()).build(), store, CheckpointPolicy.EVERY_BATCH);
        closeables.add(source);
        source.start();
        return source;
    }

    @Test
    void aSourceResumesByGtidOnThePromotedMariaDbReplica() throws Exception {
        EmbeddedMariaDb primary = start(21);
        EmbeddedMariaDb replica = start(22);
        DatabaseUser repl = primary.users().get(0);
        // Both data directories come from one initialised copy: replicate from the primary's present position on
        replica.execute("SET GLOBAL gtid_slave_pos = '" + query(primary, "SELECT @@global.gtid_binlog_pos") + "'",
                "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + primary.port()
                + ", MASTER_USER = '" + repl.name() + "', MASTER_PASSWORD = '" + repl.password()
                + "', MASTER_SSL = 0, MASTER_USE_GTID = slave_pos", "START SLAVE");
        primary.execute("CREATE DATABASE failover", "CREATE TABLE failover.items (id BIGINT PRIMARY KEY)");
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);

        BinlogChangeSource onPrimary = source(primary, store);
        List<Long> acknowledged = insert(primary, 1, 2, 3);
        ResumeContract.receive(onPrimary, "failover.items", acknowledged, true);
        onPrimary.close();
        List<Long> unacknowledged = insert(primary, 4, 5);
        String executed = query(primary, "SELECT @@global.gtid_binlog_pos");
        assertThat(query(replica, "SELECT MASTER_GTID_WAIT('" + executed + "', 60)"))
                .as("replica caught up (%s)", slaveErrors(replica)).isEqualTo("0");
        Checkpoint saved = store.load("failover").orElseThrow();
        assertThat(saved.server().serverId()).isEqualTo(21);

        primary.close();
        replica.execute("STOP SLAVE", "RESET SLAVE ALL");
        List<Long> afterFailover = insert(replica, 6);

        BinlogChangeSource onReplica = source(replica, store);
        List<Long> expected = new ArrayList<>(unacknowledged);
        expected.addAll(afterFailover);
        assertThat(ResumeContract.receive(onReplica, "failover.items", expected, true))
                .containsExactlyElementsOf(expected);
        onReplica.close();
        assertThat(store.load("failover").orElseThrow().server().serverId())
                .as("the checkpoint now belongs to the promoted replica").isEqualTo(22);
    }

    static String slaveErrors(EmbeddedDatabase replica) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(replica.jdbcUrl(null), replica.rootUser(),
                replica.rootPassword()); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            return rs.next() ? rs.getString("Last_IO_Error") + " / " + rs.getString("Last_SQL_Error") : "no slave status";
        }
    }
}
