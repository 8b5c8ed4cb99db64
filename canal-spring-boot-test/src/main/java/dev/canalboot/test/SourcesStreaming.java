package dev.canalboot.test;

import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.SourceState;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Waits until every {@link ChangeSource} of a context streams ({@link SourceState#CONNECTED}): from then on,
 * whatever a test writes is delivered. Fails at once when a source failed.
 */
public final class SourcesStreaming {

    private final Duration timeout;

    public SourcesStreaming(Duration timeout) {
        this.timeout = timeout;
    }

    /** @throws IllegalStateException naming each source's state when one failed or time ran out */
    public void await(ApplicationContext context) {
        Map<String, ChangeSource> sources = context.getBeansOfType(ChangeSource.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (sources.values().stream().allMatch(source -> source.state() == SourceState.CONNECTED)) {
                return;
            }
            if (sources.values().stream().anyMatch(source -> source.state() == SourceState.FAILED)) {
                throw new IllegalStateException("A change source failed before streaming: " + states(sources)
                        + ". Its error is in the log above and at /actuator/canal.");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Change sources did not stream within " + timeout.toSeconds() + " s: "
                        + states(sources) + ". A source left IDLE is paused or not auto-started: start it, or "
                        + "set streamingTimeoutSeconds = 0 to not wait.");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the change sources to stream", e);
            }
        }
    }

    private static String states(Map<String, ChangeSource> sources) {
        return sources.values().stream().map(s -> s.name() + " " + s.state()).collect(Collectors.joining(", ", "[", "]"));
    }
}
