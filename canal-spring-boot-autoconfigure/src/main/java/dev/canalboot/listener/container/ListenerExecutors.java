package dev.canalboot.listener.container;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

/** Executors for {@link ContainerSettings#executor()}. */
public final class ListenerExecutors {

    private ListenerExecutors() {
    }

    /** Whether this JVM has virtual threads (Java 21+); the project itself compiles for Java 17. */
    public static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * A thread per dispatched batch: a virtual thread on Java 21+, else a platform thread. Per-source
     * order is kept because the container waits for each batch before the next.
     */
    public static SimpleAsyncTaskExecutor virtualThreadsIfAvailable(String threadNamePrefix) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(threadNamePrefix);
        if (virtualThreadsAvailable()) {
            executor.setVirtualThreads(true);
        }
        return executor;
    }
}
