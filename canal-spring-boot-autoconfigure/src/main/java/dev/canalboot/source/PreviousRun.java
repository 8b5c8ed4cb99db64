package dev.canalboot.source;

import org.jspecify.annotations.Nullable;

import io.netty.channel.EventLoopGroup;

import java.time.Duration;

/**
 * The restart guard every source needs: before a source starts again, the threads of its previous run must have
 * ended, so that none of their callbacks can reach the new run.
 */
public final class PreviousRun {

    /** How long a previous run's threads may take to end. */
    public static final Duration END_BOUND = Duration.ofSeconds(10);

    private PreviousRun() {
    }

    /**
     * Waits until every one of {@code groups} terminated (they were shut down by the source's close).
     *
     * @param source how messages name the source, e.g. "Source orders"
     * @throws SourceException (retryable) when one did not end within {@link #END_BOUND}
     */
    public static void awaitEnded(String source, @Nullable EventLoopGroup... groups) {
        for (EventLoopGroup group : groups) {
            if (group != null && !group.terminationFuture().awaitUninterruptibly(END_BOUND.toMillis())) {
                throw new SourceException(source + ": the threads of the previous run did not end within "
                        + END_BOUND + "; not starting again", null, true);
            }
        }
    }
}
