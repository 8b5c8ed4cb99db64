package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogCheckpoint;
import dev.canalboot.binlog.protocol.GtidSet;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointException;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link BinlogChangeSource} whose acknowledged position is saved to a {@link CheckpointStore}: after an
 * acknowledgement (at most once per {@code commitInterval}) and, for what is still unsaved, when the source
 * closes. Since the binlog source acknowledges only transaction ends whose listeners all returned, a restart
 * from the saved checkpoint delivers every row at least once and never half a transaction.
 */
public final class CheckpointingBinlogSource implements ChangeSource {

    private final BinlogChangeSource delegate;
    private final CheckpointStore store;
    private final Duration commitInterval;
    private final Clock clock;

    /** Guarded by this. */
    private BinlogCheckpoint lastSaved;
    /** Guarded by this. */
    private Instant lastSavedAt;

    public CheckpointingBinlogSource(BinlogChangeSource delegate, CheckpointStore store, Duration commitInterval) {
        this(delegate, store, commitInterval, Clock.systemUTC());
    }

    CheckpointingBinlogSource(BinlogChangeSource delegate, CheckpointStore store, Duration commitInterval, Clock clock) {
        this.delegate = delegate;
        this.store = store;
        this.commitInterval = commitInterval;
        this.clock = clock;
        this.lastSaved = delegate.acknowledgedPosition();
    }

    /** The wrapped binlog source (its metrics, position and last error). */
    public BinlogChangeSource delegate() {
        return delegate;
    }

    /**
     * The binlog position stored for {@code source}, or empty.
     *
     * @throws CheckpointException when the stored checkpoint has no binlog file to resume from
     */
    public static Optional<BinlogCheckpoint> load(CheckpointStore store, String source) {
        return store.load(source).map(checkpoint -> {
            if (checkpoint.file() == null) {
                throw new CheckpointException("Checkpoint " + checkpoint + " of binlog source '" + source
                        + "' has no binlog file; a binlog source resumes from file and position. Delete the checkpoint "
                        + "to start from the configured start mode.");
            }
            String gtids = checkpoint.hasGtidSet() ? checkpoint.gtidSet() : null;
            // MySQL GTID sets name server UUIDs followed by ':'; MariaDB positions are domain-server-seq.
            boolean mysql = gtids != null && gtids.contains(":");
            return new BinlogCheckpoint(checkpoint.file(), checkpoint.position(),
                    mysql ? GtidSet.parse(gtids) : null, mysql ? null : gtids);
        });
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public ChangeBatch poll(Duration timeout) throws InterruptedException {
        return delegate.poll(timeout);
    }

    @Override
    public void ack(ChangeBatch batch) {
        delegate.ack(batch);
        synchronized (this) {
            Instant now = clock.instant();
            if (lastSavedAt == null || commitInterval.isZero()
                    || !now.isBefore(lastSavedAt.plus(commitInterval))) {
                saveAcknowledged(now);
            }
        }
    }

    @Override
    public void rollback(ChangeBatch batch) {
        delegate.rollback(batch);
    }

    /** Closes the source, then saves the acknowledged position if it is newer than the last saved one. */
    @Override
    public void close() {
        delegate.close();
        synchronized (this) {
            saveAcknowledged(clock.instant());
        }
    }

    @Override
    public SourceState state() {
        return delegate.state();
    }

    private void saveAcknowledged(Instant now) {
        BinlogCheckpoint position = delegate.acknowledgedPosition();
        if (position == null || position.equals(lastSaved)) {
            return;
        }
        String gtids = position.mysqlGtids() != null ? position.mysqlGtids().toString() : position.mariaDbGtids();
        store.save(new Checkpoint(name(), position.file(), position.position(), gtids, now));
        lastSaved = position;
        lastSavedAt = now;
    }

    @Override
    public String toString() {
        return "CheckpointingBinlogSource[" + delegate.name() + "]";
    }
}
