package dev.canalboot.listener.container;

import dev.canalboot.testsupport.Events;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryingListenerInvokerTest {

    private static final RetryPolicy THREE_QUICK = new RetryPolicy(3, Duration.ZERO, 1.0, Duration.ZERO);

    private final Events events = new Events("main");
    private final RowChange row = events.insert(ORDERS, order(1, "A", "1.00", 1));
    private final List<ListenerFailure> handled = new CopyOnWriteArrayList<>();
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicBoolean permitted = new AtomicBoolean(true);

    /** A listener that throws {@code failures} times, then returns. */
    private static class Flaky implements EndpointInvoker {
        final AtomicInteger calls = new AtomicInteger();
        final int failures;
        final Exception error;

        Flaky(int failures, Exception error) {
            this.failures = failures;
            this.error = error;
        }

        @Override
        public Kind kind() {
            return Kind.ROW;
        }

        @Override
        public void invoke(ChangeEvent event) throws Exception {
            if (calls.incrementAndGet() <= failures) {
                throw error;
            }
        }

        @Override
        public void invokeBatch(List<RowChange> rows) throws Exception {
            invoke(rows.get(0));
        }
    }

    private final ContainerObserver observer = new ContainerObserver() {
        @Override
        public void listenerInvoked(String source, String endpointId, int events, long durationNanos) {
            observed.add("invoked " + endpointId + " " + events);
        }

        @Override
        public void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
            observed.add("failed " + attempt);
        }

        @Override
        public void retryScheduled(String source, String endpointId, int nextAttempt, long delayMillis) {
            observed.add("retry " + nextAttempt + " in " + delayMillis);
        }
    };

    private RetryingListenerInvoker invoker(RetryPolicy policy, RetryClassifier classifier,
                                            ListenerErrorHandler.Action action) {
        ContainerSettings settings = ContainerSettings.defaults().withRetryPolicy(policy).withRetryClassifier(classifier)
                .withObserver(observer).withErrorHandler(failure -> {
                    handled.add(failure);
                    return action;
                });
        return new RetryingListenerInvoker("main", settings, aborted::get, permitted::get);
    }

    private static ListenerEndpoint endpoint(EndpointInvoker invoker) {
        return new ListenerEndpoint("orders", "bean#orders", List.of(TablePattern.parse("shop.orders")), Set.of(),
                "", invoker);
    }

    @Test
    void retriesUntilTheListenerReturns() throws Exception {
        Flaky listener = new Flaky(2, new IllegalStateException("busy"));
        invoker(THREE_QUICK, RetryClassifier.retryAll(), ListenerErrorHandler.Action.STOP)
                .invoke(endpoint(listener), row, null);
        assertThat(listener.calls).hasValue(3);
        assertThat(handled).isEmpty();
        assertThat(observed).containsExactly("failed 1", "retry 2 in 0", "failed 2", "retry 3 in 0", "invoked orders 1");
    }

    @Test
    void timesListenerCallsOnlyForAnObserverThatTakesTheDuration() throws Exception {
        AtomicInteger clockReads = new AtomicInteger();
        List<Long> durations = new CopyOnWriteArrayList<>();
        ContainerObserver timing = new ContainerObserver() {
            @Override
            public void listenerInvoked(String source, String endpointId, int events, long durationNanos) {
                durations.add(durationNanos);
            }
        };
        long[] now = {1_000};
        RetryingListenerInvoker timed = new RetryingListenerInvoker("main",
                ContainerSettings.defaults().withObserver(timing), aborted::get, permitted::get, () -> {
                    clockReads.incrementAndGet();
                    return now[0] += 250;
                });
        timed.invoke(endpoint(new Flaky(0, null)), row, null);
        assertThat(durations).containsExactly(250L);
        assertThat(clockReads).hasValue(2);

        clockReads.set(0);
        RetryingListenerInvoker untimed = new RetryingListenerInvoker("main", ContainerSettings.defaults(),
                aborted::get, permitted::get, () -> {
                    clockReads.incrementAndGet();
                    return 0;
                });
        Flaky listener = new Flaky(0, null);
        untimed.invoke(endpoint(listener), row, null);
        untimed.invoke(endpoint(listener), row, null);
        assertThat(listener.calls).hasValue(2);
        assertThat(clockReads).as("the no-op observer drops durations: no clock read per row").hasValue(0);
    }

    @Test
    void waitsAsTheBackOffSays() throws Exception {
        Flaky listener = new Flaky(1, new IllegalStateException("busy"));
        long started = System.nanoTime();
        invoker(new RetryPolicy(2, Duration.ofMillis(150), 1.0, Duration.ofMillis(150)), RetryClassifier.retryAll(),
                ListenerErrorHandler.Action.STOP).invoke(endpoint(listener), row, null);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(observed).contains("retry 2 in 150");
    }

    @Test
    void exhaustedAttemptsGoToTheErrorHandlerWhichMayContinue() throws Exception {
        IllegalStateException error = new IllegalStateException("down");
        Flaky listener = new Flaky(10, error);
        invoker(THREE_QUICK, RetryClassifier.retryAll(), ListenerErrorHandler.Action.CONTINUE)
                .invoke(endpoint(listener), row, null);
        assertThat(listener.calls).hasValue(3);
        assertThat(handled).singleElement().satisfies(failure -> {
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(failure.error()).isSameAs(error);
            assertThat(failure.events()).containsExactly(row);
        });
    }

    @Test
    void anExceptionNotWorthRetryingGoesStraightToTheErrorHandler() {
        Flaky listener = new Flaky(10, new IllegalArgumentException("no such customer type"));
        assertThatThrownBy(() -> invoker(THREE_QUICK, RetryClassifier.notRetrying(IllegalArgumentException.class),
                ListenerErrorHandler.Action.STOP).invoke(endpoint(listener), row, null))
                .isInstanceOf(ListenerExecutionFailedException.class)
                .hasMessageContaining("after 1 attempt:");
        assertThat(listener.calls).hasValue(1);
        assertThat(handled).singleElement().satisfies(failure -> assertThat(failure.attempts()).isEqualTo(1));
        assertThat(observed).containsExactly("failed 1");
    }

    @Test
    void aFailingErrorHandlerStopsWithItsErrorSuppressed() {
        ContainerSettings settings = ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry())
                .withErrorHandler(failure -> {
                    throw new IllegalStateException("dead-letter store down");
                });
        RetryingListenerInvoker invoker = new RetryingListenerInvoker("main", settings, aborted::get, permitted::get);
        assertThatThrownBy(() -> invoker.invoke(endpoint(new Flaky(1, new IllegalStateException("boom"))), row, null))
                .isInstanceOf(ListenerExecutionFailedException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("dead-letter store down")));
    }

    @Test
    void batchListenersGetTheirRowsAndFailWithAllOfThem() {
        RowChange second = events.insert(ORDERS, order(2, "B", "1.00", 1));
        Flaky listener = new Flaky(10, new IllegalStateException("down"));
        assertThatThrownBy(() -> invoker(RetryPolicy.noRetry(), RetryClassifier.retryAll(),
                ListenerErrorHandler.Action.STOP).invoke(endpoint(listener), null, List.of(row, second)))
                .isInstanceOf(ListenerExecutionFailedException.class);
        assertThat(handled).singleElement().satisfies(failure -> assertThat(failure.events()).containsExactly(row, second));
    }

    @Test
    void noAttemptStartsOnceAborted() {
        Flaky listener = new Flaky(0, null);
        aborted.set(true);
        assertThatThrownBy(() -> invoker(THREE_QUICK, RetryClassifier.retryAll(), ListenerErrorHandler.Action.STOP)
                .invoke(endpoint(listener), row, null)).isInstanceOf(InterruptedException.class);
        assertThat(listener.calls).hasValue(0);
    }

    @Test
    void aWithdrawnPermitStopsTheNextCallAndItsRetries() {
        // The first attempt fails; before the retry the lease runs out: the retry must not reach the listener.
        Flaky listener = new Flaky(1, new IllegalStateException("busy")) {
            @Override
            public void invoke(ChangeEvent event) throws Exception {
                permitted.set(false);
                super.invoke(event);
            }
        };
        assertThatThrownBy(() -> invoker(THREE_QUICK, RetryClassifier.retryAll(), ListenerErrorHandler.Action.STOP)
                .invoke(endpoint(listener), row, null)).isInstanceOf(DeliveryRevokedException.class)
                .hasMessageContaining("may no longer deliver");
        assertThat(listener.calls).hasValue(1);
        assertThat(handled).as("not a listener failure: the error handler is not asked").isEmpty();
        Flaky next = new Flaky(0, null);
        assertThatThrownBy(() -> invoker(THREE_QUICK, RetryClassifier.retryAll(), ListenerErrorHandler.Action.STOP)
                .invoke(endpoint(next), row, null)).isInstanceOf(DeliveryRevokedException.class);
        assertThat(next.calls).hasValue(0);
    }
}
