package dev.canalboot.binlog;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotSettings;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestServers;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code snapshot.mode=when-needed} after the checkpoint's binlog was purged while the source was down: instead of
 * failing, it reads on from the server's present end and snapshots the tables again. PURGE BINARY LOGS runs on
 * servers whose old binlogs no other test reads: the TLS-enabled MySQL with GTIDs (the source resumes by GTID) and
 * MySQL without GTIDs (it resumes by file and position).
 */
class SnapshotWhenNeededIT {

    static final String SCHEMA = "snapshot_purge";
    static final String TABLE = SCHEMA + ".t";

    @TempDir
    Path checkpoints;
    final List<BinlogChangeSource> sources = new ArrayList<>();

    @AfterEach
    void closeSources() {
        sources.forEach(BinlogChangeSource::close);
    }

    @Test
    void mysqlWithGtids() throws Exception {
        startsOverWithASnapshotAfterAPurge(TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withTls(true)));
    }

    @Test
    void mysqlWithoutGtids() throws Exception {
        startsOverWithASnapshotAfterAPurge(TestServers.mysql(TestServers.MySqlConfig.DEFAULT.withGtid(false)));
    }

    void startsOverWithASnapshotAfterAPurge(EmbeddedDatabase server) throws Exception {
        server.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP TABLE IF EXISTS " + TABLE,
                "CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, v INT NOT NULL)");
        StringBuilder sql = new StringBuilder("INSERT INTO " + TABLE + " VALUES ");
        for (int i = 1; i <= 50; i++) {
            sql.append(i == 1 ? "" : ",").append("(").append(i).append(",").append(i).append(")");
        }
        server.execute(sql.toString());
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);

        // A first run snapshots (no checkpoint yet) and streams; the checkpoint ends after row 51.
        BinlogChangeSource first = source(server, store);
        SnapshotContract.pollUntil(first, TABLE, changes -> done(first));
        server.execute("INSERT INTO " + TABLE + " VALUES (51, 51)");
        SnapshotContract.pollUntil(first, TABLE, changes -> !changes.isEmpty());
        first.close();
        String resumedFrom = store.load("purge").orElseThrow().file();

        // While it is down: changes, and the binlog holding them is purged.
        server.execute("UPDATE " + TABLE + " SET v = v + 1000 WHERE id <= 10", "DELETE FROM " + TABLE + " WHERE id = 20",
                "INSERT INTO " + TABLE + " VALUES (52, 52)", "FLUSH BINARY LOGS");
        String current = currentBinlog(server);
        server.execute("PURGE BINARY LOGS TO '" + current + "'");

        BinlogChangeSource second = source(server, store);
        Map<Long, Integer> mirror = new TreeMap<>();
        List<RowChange> changes = SnapshotContract.pollUntil(second, TABLE, c -> done(second));
        server.execute("INSERT INTO " + TABLE + " VALUES (53, 53)");
        changes.addAll(SnapshotContract.pollUntil(second, TABLE,
                c -> c.stream().anyMatch(r -> r.after() != null && r.after().getLong("id") == 53)));
        for (RowChange c : changes) {
            if (c.before() != null) {
                mirror.remove(c.before().getLong("id"));
            }
            if (c.after() != null) {
                mirror.put(c.after().getLong("id"), c.after().getInteger("v"));
            }
        }
        assertThat(changes).filteredOn(c -> c.type() == ChangeType.SNAPSHOT).hasSize(51); // 52 rows - 1 deleted
        assertThat(mirror).isEqualTo(select(server));
        assertThat(mirror).containsEntry(1L, 1001).doesNotContainKey(20L).containsKey(52L);
        assertThat(second.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(second.lastError()).isNull();
        var saved = store.load("purge").orElseThrow();
        assertThat(saved.snapshot()).isNull();
        assertThat(saved.file()).isNotEqualTo(resumedFrom).isGreaterThanOrEqualTo(current);
    }

    static boolean done(BinlogChangeSource source) {
        return source.snapshotStatus() != null && "DONE".equals(source.snapshotStatus().state());
    }

    BinlogChangeSource source(EmbeddedDatabase server, FileCheckpointStore store) {
        DatabaseUser user = server.users().get(0);
        BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("purge", server.host(),
                        server.port(), user.name(), user.password())
                .serverId(ResumeContract.SERVER_IDS.incrementAndGet())
                .tls(TlsSettings.DISABLED)
                .heartbeatPeriod(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(10))
                .start(new StartPosition.Latest()).build(), store, CheckpointPolicy.EVERY_BATCH);
        source.snapshots(new SnapshotSettings(SnapshotMode.WHEN_NEEDED, List.of(TABLE), 20, Map.of()));
        sources.add(source);
        source.start();
        return source;
    }

    static String currentBinlog(EmbeddedDatabase server) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString("File");
        }
    }

    static Map<Long, Integer> select(EmbeddedDatabase server) throws Exception {
        Map<Long, Integer> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(null), server.rootUser(), server.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, v FROM " + TABLE)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getInt(2));
            }
        }
        return new TreeMap<>(rows);
    }
}
