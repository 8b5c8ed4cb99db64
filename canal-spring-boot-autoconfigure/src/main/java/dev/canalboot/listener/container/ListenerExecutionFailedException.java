package dev.canalboot.listener.container;

/** A listener failed on every attempt and the error handler stopped the container. */
public class ListenerExecutionFailedException extends RuntimeException {

    private final transient ListenerFailure failure;

    public ListenerExecutionFailedException(ListenerFailure failure) {
        super(failure.describe(), failure.error());
        this.failure = failure;
    }

    public ListenerFailure getFailure() {
        return failure;
    }
}
