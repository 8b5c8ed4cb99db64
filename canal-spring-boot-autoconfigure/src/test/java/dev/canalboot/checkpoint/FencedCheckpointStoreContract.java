package dev.canalboot.checkpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link FencedCheckpointStore} adds: a write with an epoch below the one that fenced or wrote the source
 * is refused and writes nothing, also when the deposed writer is another store instance (another JVM) that last saw
 * the source before the newer leader fenced it.
 */
abstract class FencedCheckpointStoreContract extends CheckpointStoreContract {

    @Override
    protected abstract FencedCheckpointStore store();

    @Test
    void aWriteBelowTheFenceIsRefusedAndWritesNothing() {
        FencedCheckpointStore deposed = store();
        FencedCheckpointStore successor = store();
        Checkpoint before = new Checkpoint("orders", "binlog.000001", 100, null, now, null, "{\"v\":2,\"tables\":[]}");
        deposed.save(before, 3);
        deposed.save(new Checkpoint("orders", "binlog.000001", 200, null, now, null, before.schemaHistory()), 3);

        successor.fence("orders", 4);
        Checkpoint late = new Checkpoint("orders", "binlog.000001", 300, null, now, null, "{\"v\":2,\"tables\":[1]}");
        assertThatThrownBy(() -> deposed.save(late, 3))
                .isInstanceOfSatisfying(StaleEpochException.class, e -> {
                    assertThat(e.getEpoch()).isEqualTo(3);
                    assertThat(e.getCurrentEpoch()).isEqualTo(4);
                    assertThat(e.getSource()).isEqualTo("orders");
                }).hasMessageContaining("orders");
        Checkpoint stored = store().load("orders").orElseThrow();
        assertThat(stored.position()).as("the refused write wrote nothing").isEqualTo(200);
        assertThat(stored.schemaHistory()).isEqualTo(before.schemaHistory());

        Checkpoint next = new Checkpoint("orders", "binlog.000001", 400, null, now, null, late.schemaHistory());
        successor.save(next, 4);
        assertThat(store().load("orders")).contains(next);
        assertThatThrownBy(() -> deposed.save(late, 3)).isInstanceOf(StaleEpochException.class);
        // a lower fence changes nothing; a plain save keeps the fence
        successor.fence("orders", 2);
        successor.save(new Checkpoint("orders", "binlog.000001", 500, null, now));
        assertThatThrownBy(() -> deposed.save(late, 3)).isInstanceOf(StaleEpochException.class);
        successor.save(new Checkpoint("orders", "binlog.000001", 600, null, now), 4);
        assertThat(store().load("orders").orElseThrow().position()).isEqualTo(600);
    }

    @Test
    void aWriterOfTheSameEpochOrAHigherOneWritesAndFencesDoNotTouchOtherSources() {
        FencedCheckpointStore store = store();
        store.save(new Checkpoint("orders", "binlog.000001", 100, null, now), 1);
        store.save(new Checkpoint("payments", "binlog.000001", 100, null, now), 1);
        store.fence("orders", 7);
        Checkpoint payments = new Checkpoint("payments", "binlog.000001", 150, null, now);
        store().save(payments, 1);
        assertThat(store().load("payments")).contains(payments);
        Checkpoint orders = new Checkpoint("orders", "binlog.000002", 4, null, now);
        store().save(orders, 9);
        assertThat(store().load("orders")).contains(orders);
        assertThatThrownBy(() -> store.save(orders, 7)).isInstanceOf(StaleEpochException.class);
    }
}
