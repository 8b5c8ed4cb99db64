package dev.canalboot.checkpoint;

import java.util.Optional;

/**
 * Durable storage of one {@link Checkpoint} per source. A source saves only at transaction ends whose
 * listeners all returned, so resuming from a stored checkpoint delivers every row at least once and never
 * half a transaction. Implementations must make {@link #save} durable before returning.
 */
public interface CheckpointStore {

    /** The checkpoint of {@code source}, or empty when it never saved one. */
    Optional<Checkpoint> load(String source);

    /** Replace the checkpoint of {@code checkpoint.source()}; durable when this returns. */
    void save(Checkpoint checkpoint);

    /** Forget the checkpoint of {@code source} (a reset); no error when there is none. */
    void delete(String source);

    /** Where {@code source}'s checkpoint is kept, for messages that tell a person to look at or delete it. */
    default String location(String source) {
        return "the checkpoint of source '" + source + "' in " + getClass().getSimpleName();
    }
}
