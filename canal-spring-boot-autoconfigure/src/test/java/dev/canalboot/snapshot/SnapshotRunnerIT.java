package dev.canalboot.snapshot;

import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.testsupport.SchemaServers;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot's runner against the shared MySQL 8.0.31 and MariaDB 11.4.5 with the test as its stream (an idle one:
 * it tells the merger the binlog's end and takes what it delivers, as the source's poll does): table after table,
 * chunk after chunk in key order, a table that is not there skipped, a resumed progress read on after its key, the
 * status and the progress handed to the batches.
 */
class SnapshotRunnerIT {

    private static final String SCHEMA = "snapshot_runner";

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void readsEveryTableInChunksSkipsAMissingOneAndEndsDone(String kind) throws Exception {
        EmbeddedDatabase server = server(kind);
        server.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".a (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO " + SCHEMA + ".a SELECT seq, CONCAT('v', seq) FROM (SELECT 1 seq UNION SELECT 2 UNION"
                        + " SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7) s",
                "CREATE TABLE " + SCHEMA + ".b (id INT PRIMARY KEY)", "INSERT INTO " + SCHEMA + ".b VALUES (10), (20)");
        SnapshotProgress start = new SnapshotProgress(List.of(SCHEMA + ".a", SCHEMA + ".gone", SCHEMA + ".b"), null, 0);

        Run run = run(server, start, 3);

        assertThat(run.ended.get(30, TimeUnit.SECONDS)).as("no failure").isNull();
        assertThat(run.rows).containsExactly("a 1", "a 2", "a 3", "a 4", "a 5", "a 6", "a 7", "b 10", "b 20");
        assertThat(run.lastProgress).as("the progress handed to the last batch: done").isNull();
        assertThat(run.runner.status().state()).isEqualTo("DONE");
        SnapshotStatus.Table a = run.runner.status().table(SCHEMA + ".a");
        assertThat(a.rowsDone()).isEqualTo(7);
        assertThat(a.chunks()).isEqualTo(3);
        assertThat(a.done()).isTrue();
        assertThat(run.runner.status().table(SCHEMA + ".gone").done()).isTrue();
        assertThat(run.runner.status().tablesDone()).isEqualTo(3);
        assertThat(run.runner.merger().emittedChunks()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aResumedSnapshotReadsOnAfterTheSavedKey(String kind) throws Exception {
        EmbeddedDatabase server = server(kind);
        server.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".a (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO " + SCHEMA + ".a VALUES (1, 'x'), (2, 'x'), (3, 'x'), (4, 'x')");
        SnapshotProgress resumed = new SnapshotProgress(List.of(SCHEMA + ".a"), List.of("2"), 2);

        Run run = run(server, resumed, 10);

        assertThat(run.ended.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(run.rows).containsExactly("a 3", "a 4");
        assertThat(run.runner.status().table(SCHEMA + ".a").rowsDone()).as("with the earlier run's rows").isEqualTo(4);
    }

    /** A runner started, and the test thread as its idle stream until it ends. */
    private static final class Run {
        SnapshotRunner runner;
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        final List<String> rows = new ArrayList<>();
        SnapshotProgress lastProgress;
    }

    private static Run run(EmbeddedDatabase server, SnapshotProgress start, int chunkSize) throws Exception {
        DatabaseUser user = server.users().get(0);
        ConnectionSettings connection = ConnectionSettings.of(server.host(), server.port(), user.name(),
                user.password()).withTls(TlsSettings.DISABLED);
        Run run = new Run();
        run.runner = new SnapshotRunner("src", connection, Duration.ofSeconds(20), ZeroDatePolicy.NULL,
                new SnapshotSettings(SnapshotMode.INITIAL, List.of(), chunkSize, Map.of()), start,
                e -> run.ended.complete(e));
        SnapshotMerger merger = run.runner.merger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (SnapshotRunner runner = run.runner) {
            runner.start();
            while (!run.ended.isDone() || merger.unattached()) {
                assertThat(System.nanoTime()).as("the runner ends in time").isLessThan(deadline);
                var end = SchemaServers.binlogEnd(server);
                for (RowChange r : merger.idle(new BinlogPoint(end.file(), end.position()), null)) {
                    assertThat(r.type()).isEqualTo(ChangeType.SNAPSHOT);
                    run.rows.add(r.table() + " " + r.after().get("id"));
                }
                if (merger.unattached()) {
                    run.lastProgress = merger.progressForBatch();
                }
                Thread.sleep(1);
            }
        }
        return run;
    }

    private static EmbeddedDatabase server(String kind) {
        return kind.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
    }
}
