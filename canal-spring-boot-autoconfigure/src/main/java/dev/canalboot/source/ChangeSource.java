package dev.canalboot.source;

import dev.canalboot.model.ChangeBatch;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * What a listener container drives: fetch → dispatch → ack, in order. With one listener worker the container
 * acknowledges each batch before it polls the next; with listener concurrency above 1 it polls up to
 * {@code max-in-flight} batches ahead and acknowledges them in the order they were polled, each only once it and
 * every earlier batch are done.
 * <p>
 * Implementations (Canal client, binlog replica) own their connection, reconnect with back-off while
 * running, and never acknowledge a batch the container did not {@link #ack}. They are used by one
 * container thread: {@link #poll}, {@link #ack} and {@link #rollback} are never called concurrently;
 * {@link #state()} may be read from any thread.
 * <p>
 * The pieces every implementation shares live beside this interface: {@link SourceLifecycle} (states, failure,
 * restart), {@link ReconnectPolicy} (back-off and limit) and {@link SourceCounters} (its {@link #statistics()}).
 * A new source type proves itself with the lifecycle contract test every source passes.
 */
public interface ChangeSource extends AutoCloseable {

    /** The configured name of this source, used in logs, metrics and {@code @CanalListener(source=...)}. */
    String name();

    /**
     * Connect and start reading, within about the connect timeout. When it returns, the start position is fixed,
     * or the server could not be reached and the source retries in the background (state
     * {@link SourceState#RECONNECTING}) with its reconnect back-off. Errors retrying cannot fix are thrown: a
     * {@link SourceException} naming the server and cause. After {@link #close()} or a failure it starts again.
     */
    void start();

    /**
     * The next batch, waiting at most {@code timeout}; {@code null} if none arrived in time (also while the source
     * reconnects).
     *
     * @throws SourceException       when the source failed for good (a fatal error, or retries exhausted)
     * @throws IllegalStateException after {@link #close()}, until the next {@link #start()}
     */
    @Nullable ChangeBatch poll(Duration timeout) throws InterruptedException;

    /** Every listener returned normally for every event of {@code batch}: it may be committed. */
    void ack(ChangeBatch batch);

    /** {@code batch} (and everything fetched after it) must be delivered again. */
    void rollback(ChangeBatch batch);

    /** Stop reading and release the connection; unacknowledged batches are not committed. */
    @Override
    void close();

    SourceState state();

    /**
     * The error that failed the current or last run ({@link SourceState#FAILED}), kept after {@link #close()} until
     * the next {@link #start()}; {@code null} when none (and by default).
     */
    default @Nullable SourceException lastError() {
        return null;
    }

    /**
     * Whether the source has delivered all it will (a binlog source with {@code snapshot.mode=initial-only} once its
     * snapshot is acknowledged): {@link #poll} returns null from then on and the container stops. False by default.
     */
    default boolean finished() {
        return false;
    }

    /** Counters and heartbeat for metrics, health and the actuator endpoint; none by default. */
    default SourceStatistics statistics() {
        return SourceStatistics.NONE;
    }
}
