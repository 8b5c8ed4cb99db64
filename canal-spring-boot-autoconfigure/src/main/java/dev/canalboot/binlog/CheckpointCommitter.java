package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.schema.SchemaState;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointException;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.ServerIdentity;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Saves a binlog source's acknowledged transaction ends to a {@link CheckpointStore}: at every acknowledgement,
 * or at most once per commit interval plus once on a clean close. Only positions the container acknowledged
 * (every listener returned) ever reach the store.
 */
final class CheckpointCommitter {

    private final String source;
    private final CheckpointStore store;
    private final CheckpointPolicy policy;
    private final Clock clock;
    private BinlogCheckpoint committed;
    private BinlogCheckpoint pending;
    private Instant lastSave;
    /** The server the positions are read from: loaded with the checkpoint, then the server each session checked. */
    private ServerIdentity server;

    CheckpointCommitter(String source, CheckpointStore store, CheckpointPolicy policy, Clock clock) {
        this.source = source;
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /** The stored checkpoint to resume from, if there is one and it wins over the configured start. */
    synchronized Optional<BinlogCheckpoint> resumePoint() {
        if (!policy.checkpointWins()) {
            return Optional.empty();
        }
        Optional<Checkpoint> stored = store.load(source);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        server = stored.get().server();
        try {
            committed = fromCheckpoint(stored.get());
        } catch (RuntimeException e) {
            throw new CheckpointException("Stored checkpoint " + stored.get() + " of source '" + source
                    + "' is not a binlog position (" + e.getMessage() + "); fix or delete it", e);
        }
        return Optional.of(committed);
    }

    /** Forgets what is not saved yet and reads the stored checkpoint again (see {@link #resumePoint()}). */
    synchronized Optional<BinlogCheckpoint> reload() {
        pending = null;
        committed = null;
        return resumePoint();
    }

    /**
     * {@code end} was acknowledged; saves it when the commit interval has passed.
     *
     * @return the position saved now, or null when the save was deferred
     */
    synchronized BinlogCheckpoint acknowledged(BinlogCheckpoint end) {
        pending = end;
        return saveIfDue();
    }

    /** Saves the acknowledged position deferred by the commit interval once the interval has passed. */
    synchronized @Nullable BinlogCheckpoint saveIfDue() {
        Instant now = clock.instant();
        if (pending != null && (policy.commitInterval().isZero() || lastSave == null
                || !now.isBefore(lastSave.plus(policy.commitInterval())))) {
            return save(now);
        }
        return null;
    }

    /** Saves the last acknowledged position if it is not saved yet (clean close). */
    synchronized BinlogCheckpoint flush() {
        return pending == null ? null : save(clock.instant());
    }

    /** The server of the loaded checkpoint (null when it records none) or the one set since. */
    synchronized ServerIdentity server() {
        return server;
    }

    /** Positions acknowledged from now on were read on {@code server}; saved with them. */
    synchronized void server(ServerIdentity server) {
        this.server = server;
    }

    /** Where the checkpoint is stored, for messages. */
    String location() {
        return store.location(source);
    }

    /** The last position saved (or loaded), or null. */
    synchronized BinlogCheckpoint committed() {
        return committed;
    }

    private BinlogCheckpoint save(Instant now) {
        BinlogCheckpoint end = pending;
        store.save(toCheckpoint(source, end, now, server));
        committed = end;
        pending = null;
        lastSave = now;
        return end;
    }

    static Checkpoint toCheckpoint(String source, BinlogCheckpoint end, Instant savedAt) {
        return toCheckpoint(source, end, savedAt, null);
    }

    static Checkpoint toCheckpoint(String source, BinlogCheckpoint end, Instant savedAt, ServerIdentity server) {
        String gtids = end.gtidSet() != null && !end.gtidSet().isEmpty() ? end.gtidSet().toString()
                : end.mariaDbGtids() != null && !end.mariaDbGtids().isBlank() ? end.mariaDbGtids() : null;
        return new Checkpoint(source, end.file(), end.position(), gtids, savedAt, server,
                end.schema() == null ? null : end.schema().encode(), end.snapshot());
    }

    /** MySQL GTID sets are {@code uuid:interval[,...]}; MariaDB positions are {@code domain-server-seq[,...]}. */
    static BinlogCheckpoint fromCheckpoint(Checkpoint c) {
        BinlogCheckpoint position = positionOf(c).withSnapshot(c.snapshot());
        return c.schemaHistory() == null || c.schemaHistory().isBlank() ? position
                : position.withSchema(SchemaState.decode(c.schemaHistory()));
    }

    private static BinlogCheckpoint positionOf(Checkpoint c) {
        if (!c.hasGtidSet()) {
            return BinlogCheckpoint.of(c.file(), c.position(), null, null);
        }
        if (c.gtidSet().indexOf(':') >= 0) {
            return BinlogCheckpoint.of(c.file(), c.position(), GtidSet.parse(c.gtidSet()), null);
        }
        BatchAssembler.parseMariaDb(c.gtidSet());
        return BinlogCheckpoint.of(c.file(), c.position(), null, c.gtidSet());
    }
}
