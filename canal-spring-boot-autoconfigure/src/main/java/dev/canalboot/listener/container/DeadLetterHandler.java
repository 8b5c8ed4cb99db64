package dev.canalboot.listener.container;

/**
 * Receives deliveries that failed on every attempt, when the error handler is
 * {@link ListenerErrorHandler#deadLetter(DeadLetterHandler)}. If it throws, the container stops as with
 * {@link ListenerErrorHandler#stopContainer()}: a failure is never dropped silently.
 */
@FunctionalInterface
public interface DeadLetterHandler {

    void handle(ListenerFailure failure) throws Exception;
}
