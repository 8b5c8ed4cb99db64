package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMySql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover within a replication topology: a source reads a MySQL primary, its checkpoint carries the executed GTID
 * set; the primary dies, its replica takes over, and the source — same checkpoint store — resumes on the replica
 * with exactly the transactions it had not acknowledged, though file names and offsets there differ.
 */
class FailoverMySqlIT {

    @TempDir
    Path checkpoints;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    EmbeddedMySql start(long serverId) {
        EmbeddedMySql server = EmbeddedMySql.builder().gtid(true).serverId(serverId).start();
        closeables.add(server);
        return server;
    }

    BinlogChangeSource source(EmbeddedDatabase server, FileCheckpointStore store) {
        DatabaseUser user = server.users().get(0);
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("failover", server.host(),
                        server.port(), user.name(), user.password())
                .serverId(41000 + closeables.size()).tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10))
                .start(new StartPosition.Latest()).build(), store, CheckpointPolicy.EVERY_BATCH);
        closeables.add(source);
        source.start();
        return source;
    }

    static String query(EmbeddedDatabase server, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void awaitReplicated(EmbeddedDatabase primary, EmbeddedDatabase replica) throws Exception {
        String executed = query(primary, "SELECT @@global.gtid_executed");
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"1".equals(query(replica, "SELECT GTID_SUBSET('" + executed + "', @@global.gtid_executed)"))) {
            assertThat(System.nanoTime()).as("replica caught up with %s", executed).isLessThan(guard);
            Thread.sleep(100);
        }
    }

    static List<Long> insert(EmbeddedDatabase server, long... ids) {
        List<Long> inserted = new ArrayList<>();
        for (long id : ids) {
            server.execute("INSERT INTO failover.items VALUES (" + id + ")");
            inserted.add(id);
        }
        return inserted;
    }

    @Test
    void aSourceResumesByGtidOnThePromotedReplicaWithExactlyTheUnacknowledgedTransactions() throws Exception {
        EmbeddedMySql primary = start(11);
        EmbeddedMySql replica = start(12);
        DatabaseUser repl = primary.users().get(0);
        replica.execute("CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = " + primary.port()
                        + ", SOURCE_USER = '" + repl.name() + "', SOURCE_PASSWORD = '" + repl.password()
                        + "', SOURCE_AUTO_POSITION = 1, GET_SOURCE_PUBLIC_KEY = 1",
                "START REPLICA");
        primary.execute("CREATE DATABASE failover", "CREATE TABLE failover.items (id BIGINT PRIMARY KEY)");
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);

        BinlogChangeSource onPrimary = source(primary, store);
        List<Long> acknowledged = insert(primary, 1, 2, 3);
        ResumeContract.receive(onPrimary, "failover.items", acknowledged, true);
        onPrimary.close();
        List<Long> unacknowledged = insert(primary, 4, 5);
        awaitReplicated(primary, replica);
        Checkpoint saved = store.load("failover").orElseThrow();
        assertThat(saved.gtidSet()).contains(query(primary, "SELECT @@global.server_uuid"));

        // Failover: the primary is gone, the replica is promoted and takes writes of its own
        primary.close();
        replica.execute("STOP REPLICA", "RESET REPLICA ALL");
        List<Long> afterFailover = insert(replica, 6);

        BinlogChangeSource onReplica = source(replica, store);
        List<Long> expected = new ArrayList<>(unacknowledged);
        expected.addAll(afterFailover);
        assertThat(ResumeContract.receive(onReplica, "failover.items", expected, true))
                .containsExactlyElementsOf(expected);
        Checkpoint resumed = store.load("failover").orElseThrow();
        assertThat(resumed.gtidSet()).contains(query(replica, "SELECT @@global.server_uuid"));
        assertThat(saved.server().serverUuid()).isNotEqualTo(resumed.server().serverUuid());
        assertThat(resumed.server().serverUuid()).as("the checkpoint now belongs to the promoted replica")
                .isEqualTo(query(replica, "SELECT @@global.server_uuid"));
    }
}
