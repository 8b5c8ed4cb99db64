package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.checkpoint.ServerIdentity;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A checkpoint belongs to the server it was read on: pointed at another server (a re-created database, another
 * host), the source fails naming both servers and the way out, and leaves the checkpoint alone. Two real MySQL
 * servers (with and without GTIDs: each has its own server_uuid) and MariaDB. The GTID failover that is allowed
 * is in {@link FailoverMySqlIT}.
 */
class ServerChangeIT {

    static final String SCHEMA = "server_change";
    static final AtomicLong SERVER_IDS = new AtomicLong(12000);

    @TempDir
    Path checkpoints;
    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    static EmbeddedDatabase withGtids() {
        return TestServers.mysql();
    }

    static EmbeddedDatabase withoutGtids() {
        return TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withGtid(false));
    }

    BinlogChangeSource source(EmbeddedDatabase server, FileCheckpointStore store) {
        DatabaseUser user = server.users().get(0);
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("orders", server.host(),
                        server.port(), user.name(), user.password())
                .serverId(SERVER_IDS.incrementAndGet()).tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1)).readTimeout(Duration.ofSeconds(10))
                .start(new StartPosition.Latest()).build(), store, CheckpointPolicy.EVERY_BATCH);
        closeables.add(source);
        return source;
    }

    static String table(EmbeddedDatabase server) {
        String table = SCHEMA + ".items";
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA,
                "CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY)");
        return table;
    }

    /** Reads a row inserted on {@code server} and closes: the store then holds a checkpoint of that server. */
    Checkpoint checkpointOn(EmbeddedDatabase server, FileCheckpointStore store, long id) throws Exception {
        String table = table(server);
        BinlogChangeSource source = source(server, store);
        source.start();
        server.execute("INSERT INTO " + table + " VALUES (" + id + ")");
        ResumeContract.receive(source, table, List.of(id), true);
        source.close();
        return store.load("orders").orElseThrow();
    }

    static String uuid(EmbeddedDatabase server) throws Exception {
        return FailoverMySqlIT.query(server, "SELECT @@global.server_uuid");
    }

    @Test
    void aFilePositionResumedOnAnotherServerFailsNamingBothServersAndTheWayOut() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        Checkpoint saved = checkpointOn(withoutGtids(), store, System.nanoTime());
        assertThat(saved.gtidSet()).isNull();
        assertThat(saved.server()).isEqualTo(ServerIdentity.mysql(uuid(withoutGtids()),
                Long.parseLong(FailoverMySqlIT.query(withoutGtids(), "SELECT @@global.server_id"))));

        BinlogChangeSource elsewhere = source(withGtids(), store);
        Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(elsewhere);
        assertThat(error).isInstanceOf(SourceException.class)
                .hasMessageContaining("Source orders (" + withGtids().host() + ":" + withGtids().port() + ")")
                .hasMessageContaining(saved.file() + ":" + saved.position())
                .hasMessageContaining("another server (MySQL server_uuid " + uuid(withoutGtids()))
                .hasMessageContaining("the one answering now (MySQL server_uuid " + uuid(withGtids()))
                .hasMessageContaining("re-created")
                .hasMessageContaining("delete file " + store.fileOf("orders"))
                .hasMessageContaining("checkpoint-wins to false");
        assertThat(((SourceException) error).isRetryable()).isFalse();
        assertThat(elsewhere.state()).isEqualTo(SourceState.FAILED);
        elsewhere.close();
        assertThat(store.load("orders")).as("the checkpoint is left as it was").contains(saved);
    }

    @Test
    void gtidsTheOtherServerNeverExecutedDoNotCarryTheResumeOver() throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        Checkpoint saved = checkpointOn(withGtids(), store, System.nanoTime());
        assertThat(saved.gtidSet()).contains(uuid(withGtids()));

        BinlogChangeSource elsewhere = source(withoutGtids(), store);
        Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(elsewhere);
        assertThat(error).isInstanceOf(SourceException.class)
                .hasMessageContaining("another server (MySQL server_uuid " + uuid(withGtids()))
                .hasMessageContaining("This server has not executed " + uuid(withGtids()))
                .hasMessageContaining("not a failover within one replication topology");
        elsewhere.close();
        assertThat(store.load("orders")).contains(saved);
    }

    @Test
    void aMariaDbPositionAheadOfTheServerFailsThoughServerIdAndDomainMatch() throws Exception {
        EmbeddedDatabase mariadb = TestServers.mariadb();
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        Checkpoint saved = checkpointOn(mariadb, store, System.nanoTime());
        assertThat(saved.server().gtidDomainId()).isNotNull();
        // A re-created MariaDB has the same server_id and domain; only its shorter history tells it apart.
        String[] gtid = saved.gtidSet().split(",")[0].split("-");
        String ahead = gtid[0] + "-" + gtid[1] + "-" + (Long.parseLong(gtid[2]) + 1_000_000);
        store.save(new Checkpoint("orders", saved.file(), saved.position(), ahead, Instant.now(), saved.server()));

        BinlogChangeSource resumed = source(mariadb, store);
        Throwable error = BinlogChangeSourceMySqlIT.catchFromStartOrPoll(resumed);
        assertThat(error).isInstanceOf(SourceException.class)
                .hasMessageContaining("holds transactions this server (MariaDB server_id " + saved.server().serverId())
                .hasMessageContaining(ahead)
                .hasMessageContaining("re-created with the same identity");
    }

    @Test
    void aCheckpointWithoutAServerResumesAndTheNextSaveRecordsIt() throws Exception {
        EmbeddedDatabase server = withGtids();
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        Checkpoint saved = checkpointOn(server, store, System.nanoTime());
        Checkpoint old = new Checkpoint("orders", saved.file(), saved.position(), saved.gtidSet(), saved.savedAt());
        store.save(old); // as an older version wrote it

        String table = table(server);
        long id = System.nanoTime();
        server.execute("INSERT INTO " + table + " VALUES (" + id + ")");
        BinlogChangeSource resumed = source(server, store);
        resumed.start();
        assertThat(ResumeContract.receive(resumed, table, List.of(id), true)).containsExactly(id);
        resumed.close();
        assertThat(store.load("orders").orElseThrow().server()).isEqualTo(saved.server());
    }
}
