package dev.canalboot.checkpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * How a source uses its {@link CheckpointStore}.
 *
 * @param checkpointWins whether a stored checkpoint, when present, wins over the configured start position
 *                       (false: always start where configured, and overwrite the checkpoint from there)
 * @param commitInterval least time between two saves; {@link Duration#ZERO} saves at every acknowledged batch.
 *                       Acknowledged positions not yet saved are saved on a clean close. A longer interval
 *                       saves less often at the cost of more changes delivered again after a crash.
 */
public record CheckpointPolicy(boolean checkpointWins, Duration commitInterval) {

    public static final CheckpointPolicy EVERY_BATCH = new CheckpointPolicy(true, Duration.ZERO);

    public CheckpointPolicy {
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("Checkpoint commit interval " + commitInterval + " is negative");
        }
    }

    public CheckpointPolicy withCommitInterval(Duration interval) {
        return new CheckpointPolicy(checkpointWins, interval);
    }

    public CheckpointPolicy withCheckpointWins(boolean wins) {
        return new CheckpointPolicy(wins, commitInterval);
    }
}
