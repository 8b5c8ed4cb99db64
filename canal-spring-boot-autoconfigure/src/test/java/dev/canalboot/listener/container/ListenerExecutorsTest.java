package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerExecutorsTest {

    @Test
    void listenersRunOnVirtualThreadsExactlyWhenTheJvmHasThem() throws Exception {
        SimpleAsyncTaskExecutor executor = ListenerExecutors.virtualThreadsIfAvailable("canal-vt-");
        CompletableFuture<Boolean> virtual = new CompletableFuture<>();
        executor.execute(() -> virtual.complete(isVirtual(Thread.currentThread())));

        boolean jvmHasVirtualThreads = Runtime.version().feature() >= 21;
        assertThat(ListenerExecutors.virtualThreadsAvailable()).isEqualTo(jvmHasVirtualThreads);
        assertThat(virtual.get(10, TimeUnit.SECONDS)).isEqualTo(jvmHasVirtualThreads);
    }

    /** {@code Thread#isVirtual} exists from Java 21 on; this project compiles for 17. */
    private static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
