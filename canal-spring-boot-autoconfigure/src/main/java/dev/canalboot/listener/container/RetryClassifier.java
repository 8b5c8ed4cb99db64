package dev.canalboot.listener.container;

import java.util.List;

/**
 * Tells which listener exceptions are worth another attempt. An exception that is not goes straight to the
 * {@link ListenerErrorHandler} after its first attempt, whatever the {@link RetryPolicy} allows: a row that
 * cannot be converted, or a constraint the listener will break again, fails the same way every time.
 */
@FunctionalInterface
public interface RetryClassifier {

    /** Whether another attempt may succeed after {@code error}. */
    boolean isRetryable(Throwable error);

    /** The default: every exception is retried as the {@link RetryPolicy} allows. */
    static RetryClassifier retryAll() {
        return error -> true;
    }

    /**
     * Retries every exception except those of the given types (subclasses included), found on the exception
     * itself or anywhere in its cause chain, since listeners often wrap what went wrong.
     */
    @SafeVarargs
    static RetryClassifier notRetrying(Class<? extends Throwable>... types) {
        return notRetrying(List.of(types));
    }

    /** As {@link #notRetrying(Class[])}. */
    static RetryClassifier notRetrying(List<Class<? extends Throwable>> types) {
        List<Class<? extends Throwable>> fatal = List.copyOf(types);
        if (fatal.isEmpty()) {
            return retryAll();
        }
        return error -> {
            // Bounded walk: a cause chain may be cyclic.
            Throwable current = error;
            for (int depth = 0; current != null && depth < 32; depth++) {
                for (Class<? extends Throwable> type : fatal) {
                    if (type.isInstance(current)) {
                        return false;
                    }
                }
                current = current.getCause() == current ? null : current.getCause();
            }
            return true;
        };
    }
}
