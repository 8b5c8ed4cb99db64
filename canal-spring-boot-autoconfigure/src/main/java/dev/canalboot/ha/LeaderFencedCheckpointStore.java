package dev.canalboot.ha;

import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FencedCheckpointStore;
import dev.canalboot.checkpoint.StaleEpochException;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The checkpoint store the binlog sources see: a source under high availability writes with its leader's epoch
 * (and writes nothing while this instance does not lead it); other sources write as before. A refused write is
 * reported, so that the refused leader steps down.
 */
public final class LeaderFencedCheckpointStore implements CheckpointStore {

    private final FencedCheckpointStore delegate;
    private final Set<String> fencedSources;
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, StaleEpochException> onRefused = (source, error) -> {
    };

    public LeaderFencedCheckpointStore(FencedCheckpointStore delegate, Set<String> fencedSources) {
        this.delegate = delegate;
        this.fencedSources = Set.copyOf(fencedSources);
    }

    public FencedCheckpointStore delegate() {
        return delegate;
    }

    void onRefused(BiConsumer<String, StaleEpochException> onRefused) {
        this.onRefused = onRefused;
    }

    /** This instance leads {@code source} at {@code epoch}: fences the store there, then writes with it. */
    void grant(String source, long epoch) {
        delegate.fence(source, epoch);
        epochs.put(source, epoch);
    }

    /** This instance no longer leads {@code source}: its writes are refused from now on. */
    void revoke(String source) {
        epochs.remove(source);
    }

    @Override
    public Optional<Checkpoint> load(String source) {
        return delegate.load(source);
    }

    @Override
    public void save(Checkpoint checkpoint) {
        String source = checkpoint.source();
        if (!fencedSources.contains(source)) {
            delegate.save(checkpoint);
            return;
        }
        Long epoch = epochs.get(source);
        if (epoch == null) {
            throw new StaleEpochException(source);
        }
        try {
            delegate.save(checkpoint, epoch);
        } catch (StaleEpochException refused) {
            onRefused.accept(source, refused);
            throw refused;
        }
    }

    @Override
    public void delete(String source) {
        delegate.delete(source);
    }

    @Override
    public String location(String source) {
        return delegate.location(source);
    }
}
