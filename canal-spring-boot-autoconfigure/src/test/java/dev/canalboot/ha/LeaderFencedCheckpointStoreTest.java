package dev.canalboot.ha;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.FencedCheckpointStore;
import dev.canalboot.checkpoint.StaleEpochException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writes of sources under high availability carry this instance's leader epoch, or are refused. */
class LeaderFencedCheckpointStoreTest {

    /** A fenced store in memory: the highest epoch that fenced or wrote a source wins. */
    static final class InMemoryFencedStore implements FencedCheckpointStore {
        final Map<String, Checkpoint> saved = new HashMap<>();
        final Map<String, Long> fences = new HashMap<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public synchronized void save(Checkpoint checkpoint, long epoch) {
            long fence = fences.getOrDefault(checkpoint.source(), 0L);
            if (epoch < fence) {
                throw new StaleEpochException(checkpoint.source(), epoch, fence, location(checkpoint.source()));
            }
            fences.put(checkpoint.source(), epoch);
            saved.put(checkpoint.source(), checkpoint);
            writes.add(checkpoint.source() + "@" + epoch);
        }

        @Override
        public synchronized void fence(String source, long epoch) {
            fences.merge(source, epoch, Math::max);
        }

        @Override
        public synchronized Optional<Checkpoint> load(String source) {
            return Optional.ofNullable(saved.get(source));
        }

        @Override
        public synchronized void save(Checkpoint checkpoint) {
            saved.put(checkpoint.source(), checkpoint);
            writes.add(checkpoint.source() + "@none");
        }

        @Override
        public synchronized void delete(String source) {
            saved.remove(source);
        }
    }

    private final InMemoryFencedStore delegate = new InMemoryFencedStore();
    private final LeaderFencedCheckpointStore store = new LeaderFencedCheckpointStore(delegate, Set.of("ha"));
    private final List<String> refused = new ArrayList<>();

    LeaderFencedCheckpointStoreTest() {
        store.onRefused((source, error) -> refused.add(source + ": " + error.getMessage()));
    }

    private static Checkpoint checkpoint(String source, long position) {
        return new Checkpoint(source, "binlog.000001", position, null, Instant.EPOCH);
    }

    @Test
    void aSourceWithoutHighAvailabilityWritesAsBefore() {
        store.save(checkpoint("plain", 4));
        assertThat(delegate.writes).containsExactly("plain@none");
        assertThat(store.load("plain")).hasValue(checkpoint("plain", 4));
    }

    @Test
    void aSourceThisInstanceDoesNotLeadWritesNothing() {
        assertThatThrownBy(() -> store.save(checkpoint("ha", 4))).isInstanceOf(StaleEpochException.class)
                .hasMessageContaining("source 'ha' refused: this instance does not lead the source");
        assertThat(delegate.writes).isEmpty();
        assertThat(refused).as("not a refusal by the store: nothing to step down from").isEmpty();
    }

    @Test
    void aGrantFencesTheStoreAndTheLeaderWritesWithItsEpochUntilRevoked() {
        store.grant("ha", 3);
        assertThat(delegate.fences).containsEntry("ha", 3L);
        store.save(checkpoint("ha", 4));
        assertThat(delegate.writes).containsExactly("ha@3");

        store.revoke("ha");
        assertThatThrownBy(() -> store.save(checkpoint("ha", 5))).isInstanceOf(StaleEpochException.class);
        assertThat(delegate.writes).containsExactly("ha@3");
        assertThat(store.load("ha").orElseThrow().position()).isEqualTo(4);
    }

    @Test
    void aWriteTheStoreRefusesIsReportedAndThrown() {
        store.grant("ha", 3);
        delegate.fence("ha", 4); // another instance took over
        assertThatThrownBy(() -> store.save(checkpoint("ha", 5))).isInstanceOf(StaleEpochException.class)
                .hasMessageContaining("carries leader epoch 3").hasMessageContaining("fenced at epoch 4");
        assertThat(refused).singleElement().asString().startsWith("ha: Checkpoint write of source 'ha' refused");
        assertThat(delegate.writes).isEmpty();
    }

    @Test
    void readsDeletesAndLocationsGoToTheDelegate() {
        store.grant("ha", 1);
        store.save(checkpoint("ha", 4));
        assertThat(store.location("ha")).isEqualTo(delegate.location("ha"));
        assertThat(store.delegate()).isSameAs(delegate);
        store.delete("ha");
        assertThat(store.load("ha")).isEmpty();
    }
}
