package dev.canalboot.checkpoint;

/**
 * A {@link CheckpointStore} that refuses the writes of a deposed leader. Each leader of a source holds an epoch
 * (a fencing token that grows with every new leader); the store keeps the highest epoch that fenced or wrote a
 * source and refuses a write that carries a lower one, in the same atomic step as the write itself.
 */
public interface FencedCheckpointStore extends CheckpointStore {

    /**
     * Replaces the checkpoint of {@code checkpoint.source()} unless a higher epoch fenced or wrote it.
     *
     * @throws StaleEpochException when {@code epoch} is lower than the source's highest epoch (nothing written)
     */
    void save(Checkpoint checkpoint, long epoch);

    /**
     * Raises the source's fence to {@code epoch}: from now on writes with a lower epoch are refused. A new leader
     * calls it before it starts reading, so that its predecessor cannot save anything once it has taken over.
     */
    void fence(String source, long epoch);
}
