package dev.canalboot.listener.container;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens once a listener failed on every attempt allowed by the {@link RetryPolicy}.
 * An exception thrown here stops the container (the batch is rolled back), like {@link Action#STOP}.
 */
@FunctionalInterface
public interface ListenerErrorHandler {

    enum Action {
        /** Roll the batch back, stop the container, state FAILED with this error. */
        STOP,
        /** Carry on with the next listener and event; the batch is acknowledged when done. */
        CONTINUE
    }

    Action handle(ListenerFailure failure) throws Exception;

    /** The default: stop the container and roll the batch back (the container logs at ERROR). */
    static ListenerErrorHandler stopContainer() {
        return failure -> Action.STOP;
    }

    /** Skip the failed delivery after a WARN naming listener, table and position. */
    static ListenerErrorHandler skipAndLog() {
        Logger log = LoggerFactory.getLogger(ListenerErrorHandler.class);
        return failure -> {
            log.warn("Skipping: {}", failure.describe(), failure.error());
            return Action.CONTINUE;
        };
    }

    /** Hand the failure to {@code handler}, then continue. */
    static ListenerErrorHandler deadLetter(DeadLetterHandler handler) {
        Logger log = LoggerFactory.getLogger(ListenerErrorHandler.class);
        return failure -> {
            handler.handle(failure);
            log.info("Dead-lettered: {}", failure.describe());
            return Action.CONTINUE;
        };
    }
}
