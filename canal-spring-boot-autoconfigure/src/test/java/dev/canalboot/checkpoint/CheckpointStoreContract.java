package dev.canalboot.checkpoint;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.StringJoiner;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link CheckpointStore} keeps: one checkpoint per source with all its parts (position, GTID set,
 * server, schema history, snapshot progress), replaced by each save, readable by a store created later on the same
 * storage (a restarted application), gone after a delete.
 */
abstract class CheckpointStoreContract {

    protected final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** A store on storage of its own for the running test (each call: the same storage). */
    protected abstract CheckpointStore store();

    @Test
    void savesReplacesLoadsAndDeletesOneCheckpointPerSource() {
        CheckpointStore store = store();
        assertThat(store.load("orders")).isEmpty();
        Checkpoint first = new Checkpoint("orders", "binlog.000001", 4, null, now);
        Checkpoint other = new Checkpoint("payments", "binlog.000007", 99, "0-1-42,1-2-7", now);
        store.save(first);
        store.save(other);
        Checkpoint second = new Checkpoint("orders", "binlog.000002", 123456789012L,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", now.plusSeconds(5));
        store.save(second);

        CheckpointStore restarted = store();
        assertThat(restarted.load("orders")).contains(second);
        assertThat(restarted.load("payments")).contains(other);

        restarted.delete("orders");
        restarted.delete("never-saved");
        assertThat(restarted.load("orders")).isEmpty();
        assertThat(store().load("orders")).isEmpty();
        assertThat(restarted.load("payments")).contains(other);
        assertThat(restarted.location("orders")).contains("orders");
    }

    @Test
    void keepsTheServerALongGtidSetAndTheSnapshotProgress() {
        CheckpointStore store = store();
        StringJoiner gtids = new StringJoiner(",");
        for (int i = 0; i < 100; i++) {
            gtids.add(UUID.randomUUID() + ":1-" + (1000 + i) + ":2000-3000");
        }
        Checkpoint mysql = new Checkpoint("orders", "binlog.000001", 2000, gtids.toString(), now,
                ServerIdentity.mysql("3e11fa47-71ca-11e1-9e33-c80aa9429562", 7));
        Checkpoint mariaDb = new Checkpoint("payments", "mariadb-bin.000002", 99, "0-1-42", now,
                ServerIdentity.mariaDb(3, 5));
        store.save(mysql);
        store.save(mariaDb);
        assertThat(store().load("orders")).contains(mysql);
        assertThat(store().load("payments")).contains(mariaDb);

        Checkpoint snapshotting = new Checkpoint("orders", "binlog.000001", 2100, null, now, null, null,
                "v1;tables=shop.orders,shop.lines;key=42,_utf8mb4+X%2761%27;rows=1024");
        store.save(snapshotting);
        assertThat(store().load("orders")).contains(snapshotting);
        Checkpoint done = new Checkpoint("orders", "binlog.000001", 2200, null, now);
        store.save(done);
        assertThat(store().load("orders")).contains(done);
    }

    @Test
    void keepsTheSchemaHistoryThroughChangesRestartsAndDeletes() {
        CheckpointStore store = store();
        String history = "{\"v\":2,\"tables\":[]}";
        store.save(new Checkpoint("orders", "binlog.000001", 4, null, now, null, history));
        store.save(new Checkpoint("orders", "binlog.000001", 500, null, now, null, new String(history)));
        Checkpoint unchanged = store().load("orders").orElseThrow();
        assertThat(unchanged.position()).isEqualTo(500);
        assertThat(unchanged.schemaHistory()).isEqualTo(history);

        String changed = "{\"v\":2,\"tables\":[[\"db\",\"t\",\"a = b\\nc: #!\"]]}";
        CheckpointStore restarted = store();
        restarted.load("orders");
        restarted.save(new Checkpoint("orders", "binlog.000001", 900, null, now, null, changed));
        assertThat(store().load("orders").orElseThrow().schemaHistory()).isEqualTo(changed);
        // back to the first history, then none
        restarted.save(new Checkpoint("orders", "binlog.000001", 950, null, now, null, history));
        assertThat(store().load("orders").orElseThrow().schemaHistory()).isEqualTo(history);
        restarted.save(new Checkpoint("orders", "binlog.000001", 960, null, now));
        assertThat(store().load("orders").orElseThrow().schemaHistory()).isNull();

        restarted.save(new Checkpoint("orders", "binlog.000001", 970, null, now, null, changed));
        restarted.delete("orders");
        assertThat(store().load("orders")).isEmpty();
        restarted.save(new Checkpoint("orders", "binlog.000001", 990, null, now, null, changed));
        assertThat(store().load("orders").orElseThrow().schemaHistory()).isEqualTo(changed);
    }
}
