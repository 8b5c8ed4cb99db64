package dev.canalboot.listener;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.testsupport.ListenerContexts;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.ListenerContexts.Received;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.listener.container.ListenerErrorHandler;
import dev.canalboot.listener.container.ListenerExecutionFailedException;
import dev.canalboot.listener.container.ListenerExecutors;
import dev.canalboot.listener.container.ListenerFailure;
import dev.canalboot.listener.container.RetryPolicy;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Delivery semantics: order, ack after delivery, retry, error handling, shutdown, pause, routing. */
class ListenerDeliveryTest {

    private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(4));

    private final Events events = new Events("main");
    private AnnotationConfigApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    /** What the orders listener does besides recording the change; set by each test. */
    static class Script {
        volatile Action action = change -> {
        };

        interface Action {
            void run(RowChange change) throws Exception;
        }
    }

    @Configuration
    static class MainSource {
        @Bean
        InMemoryChangeSource source() {
            return new InMemoryChangeSource("main");
        }

        @Bean
        Received received() {
            return new Received();
        }

        @Bean
        Script script() {
            return new Script();
        }
    }

    @Import(MainSource.class)
    static class OrderAndCustomerListeners {
        final Received received;
        final Script script;

        OrderAndCustomerListeners(Received received, Script script) {
            this.received = received;
            this.script = script;
        }

        @CanalListener(id = "orders", table = "shop.orders")
        void orders(RowChange change) throws Exception {
            received.add(label(change));
            script.action.run(change);
        }

        @CanalListener(id = "customers", table = "shop.customers")
        void customers(RowChange change) {
            received.add(label(change));
        }
    }

    static String label(RowChange change) {
        return change.table() + "#" + change.row().getLong("id") + "@" + Thread.currentThread().getName();
    }

    static class RecordingObserver implements ContainerObserver {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void batchStarted(String source, long batchId, int size) {
            calls.add("batchStarted " + batchId + " " + size);
        }

        @Override
        public void batchCompleted(String source, long batchId, int size, long durationNanos, boolean acknowledged) {
            calls.add("batchCompleted " + batchId + " " + acknowledged);
        }

        @Override
        public void listenerInvoked(String source, String endpointId, int events, long durationNanos) {
            calls.add("invoked " + endpointId);
        }

        @Override
        public void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
            calls.add("failed " + endpointId + " " + attempt);
        }

        @Override
        public void retryScheduled(String source, String endpointId, int nextAttempt, long delayMillis) {
            calls.add("retry " + endpointId + " " + nextAttempt);
        }

        @Override
        public void containerFailed(String source, Throwable error) {
            calls.add("containerFailed");
        }

        @Override
        public void stateChanged(String source, ContainerState from, ContainerState to) {
            calls.add("state " + to);
        }
    }

    private AnnotationConfigApplicationContext start(ContainerSettings settings, Class<?>... classes) {
        context = ListenerContexts.create(Map.of(), classes);
        context.registerBean(ContainerSettings.class, () -> settings);
        context.refresh();
        return context;
    }

    private InMemoryChangeSource source() {
        return context.getBean(InMemoryChangeSource.class);
    }

    private List<Object> received() {
        return context.getBean(Received.class).items();
    }

    private Script script() {
        return context.getBean(Script.class);
    }

    private CanalListenerContainer container() {
        return context.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("main");
    }

    private List<ChangeBatch> offerInterleavedBatches(int count) {
        List<ChangeBatch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batches.add(source().offer(
                    events.insert(ORDERS, order(i, "O" + i, "1.00", 1)),
                    events.customer(i, "c" + i),
                    events.update(ORDERS, order(i, "O" + i, "1.00", 1), order(i, "O" + i, "2.00", 1))));
        }
        return batches;
    }

    private static List<String> expectedInterleaved(int count, String thread) {
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            expected.add("orders#" + i + "@" + thread);
            expected.add("customers#" + i + "@" + thread);
            expected.add("orders#" + i + "@" + thread);
        }
        return expected;
    }

    // ---------------------------------------------------------------- order, counts, observer

    @Test
    void eventsOfSeveralTablesAreDeliveredInSourceOrderAndAckedBatchByBatch() {
        RecordingObserver observer = new RecordingObserver();
        start(ContainerSettings.defaults().withObserver(observer), OrderAndCustomerListeners.class);
        List<ChangeBatch> batches = offerInterleavedBatches(20);
        source().awaitAcked(batches.get(19));

        assertThat(received()).containsExactlyElementsOf(expectedInterleaved(20, "canal-listener-main"));
        assertThat(source().acked()).containsExactlyElementsOf(batches.stream().map(ChangeBatch::id).toList());
        assertThat(source().rolledBack()).isEmpty();
        CanalListenerContainer container = container();
        // Counters move right after the source's ack returned.
        await(() -> container.getBatchCount() == 20, "20 batches counted");
        assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
        assertThat(container.getBatchCount()).isEqualTo(20);
        assertThat(container.getRowsDelivered()).isEqualTo(60);
        assertThat(container.getLastDeliveredPosition()).isEqualTo(batches.get(19).lastPosition());
        // Methods of one bean register in name order.
        assertThat(container.getEndpoints()).extracting(ListenerEndpoint::id).containsExactly("customers", "orders");
        assertThat(observer.calls).startsWith("state STARTING", "state RUNNING", "batchStarted 1 3", "invoked orders",
                "invoked customers", "invoked orders", "batchCompleted 1 true", "batchStarted 2 3");
    }

    @Test
    void listenersOnAnExecutorStillGetEventsInSourceOrder() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setThreadNamePrefix("listener-pool-");
        executor.initialize();
        try {
            start(ContainerSettings.defaults().withExecutor(executor), OrderAndCustomerListeners.class);
            List<ChangeBatch> batches = offerInterleavedBatches(30);
            source().awaitAcked(batches.get(29));
            assertThat(received()).containsExactlyElementsOf(expectedInterleaved(30, "listener-pool-1"));
            assertThat(source().acked()).containsExactlyElementsOf(batches.stream().map(ChangeBatch::id).toList());
        } finally {
            context.close();
            executor.shutdown();
        }
    }

    @Test
    void threadPerBatchExecutorKeepsOrderAcrossThreads() {
        start(ContainerSettings.defaults().withExecutor(ListenerExecutors.virtualThreadsIfAvailable("canal-vt-")),
                OrderAndCustomerListeners.class);
        List<ChangeBatch> batches = offerInterleavedBatches(25);
        source().awaitAcked(batches.get(24));

        List<String> labels = received().stream().map(String::valueOf).toList();
        assertThat(labels).allSatisfy(label -> assertThat(label).contains("@canal-vt-"));
        assertThat(labels.stream().map(label -> label.substring(0, label.indexOf('@'))).toList())
                .containsExactlyElementsOf(expectedInterleaved(25, "").stream()
                        .map(label -> label.substring(0, label.indexOf('@'))).toList());
        assertThat(labels.stream().map(label -> label.substring(label.indexOf('@'))).distinct().count())
                .as("one thread per batch").isEqualTo(25);
    }

    @Test
    void batchIsAckedOnlyAfterEveryListenerReturned() throws Exception {
        start(ContainerSettings.defaults(), OrderAndCustomerListeners.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            entered.countDown();
            release.await();
        };
        ChangeBatch batch = source().offer(events.customer(1, "a"), events.insert(ORDERS, order(1, "A", "1.00", 1)));
        assertThat(entered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        assertThat(source().acked()).isEmpty();
        assertThat(container().getRowsInFlight()).as("the rows of the batch in flight").isEqualTo(2);
        release.countDown();
        source().awaitAcked(batch);
        assertThat(source().acked()).containsExactly(batch.id());
        await(() -> container().getRowsInFlight() == 0, "nothing in flight");
    }

    // ---------------------------------------------------------------- retry and error handling

    @Test
    void failedDeliveryIsRetriedThenSucceeds() {
        RecordingObserver observer = new RecordingObserver();
        start(ContainerSettings.defaults().withRetryPolicy(FAST_RETRY).withObserver(observer),
                OrderAndCustomerListeners.class);
        AtomicInteger calls = new AtomicInteger();
        script().action = change -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("database busy");
            }
        };
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)), events.customer(2, "b"));
        source().awaitAcked(batch);
        await(() -> observer.calls.contains("batchCompleted 1 true"), "batch 1 completed");

        assertThat(received()).containsExactly("orders#1@canal-listener-main", "orders#1@canal-listener-main",
                "orders#1@canal-listener-main", "customers#2@canal-listener-main");
        assertThat(observer.calls).containsSubsequence("failed orders 1", "retry orders 2", "failed orders 2",
                "retry orders 3", "invoked orders", "invoked customers", "batchCompleted 1 true");
        assertThat(source().rolledBack()).isEmpty();
    }

    @Test
    void exhaustedRetriesStopTheContainerAndRollTheBatchBack() {
        RecordingObserver observer = new RecordingObserver();
        start(ContainerSettings.defaults().withRetryPolicy(FAST_RETRY).withObserver(observer),
                OrderAndCustomerListeners.class);
        script().action = change -> {
            throw new IllegalStateException("constraint violated");
        };
        RowChange failing = events.insert(ORDERS, order(1, "A", "1.00", 1));
        ChangeBatch batch = source().offer(events.customer(1, "before"), failing, events.customer(2, "after"));
        source().awaitRolledBack(batch);
        await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
        source().awaitClosed();

        assertThat(source().acked()).isEmpty();
        assertThat(received()).containsExactly("customers#1@canal-listener-main", "orders#1@canal-listener-main",
                "orders#1@canal-listener-main", "orders#1@canal-listener-main");
        Throwable error = container().getLastError();
        assertThat(error).isInstanceOf(ListenerExecutionFailedException.class)
                .hasMessageContaining("listener 'orders'")
                .hasMessageContaining("shop.orders")
                .hasMessageContaining(failing.position().toString())
                .hasMessageContaining("after 3 attempts")
                .hasRootCauseMessage("constraint violated");
        ListenerFailure failure = ((ListenerExecutionFailedException) error).getFailure();
        assertThat(failure.events()).containsExactly(failing);
        assertThat(observer.calls).containsSubsequence("batchCompleted 1 false", "containerFailed", "state FAILED");
        await(() -> !container().isRunning(), "container thread ended");
    }

    @Test
    void skipAndLogCarriesOnWithTheNextEventAndAcks() {
        start(ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry())
                .withErrorHandler(ListenerErrorHandler.skipAndLog()), OrderAndCustomerListeners.class);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                throw new IllegalStateException("bad order 1");
            }
        };
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)),
                events.insert(ORDERS, order(2, "B", "1.00", 1)));
        source().awaitAcked(batch);
        assertThat(received()).containsExactly("orders#1@canal-listener-main", "orders#2@canal-listener-main");
        assertThat(source().rolledBack()).isEmpty();
        assertThat(container().getState()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void deadLetterHandlerReceivesTheFailedChangeThenTheContainerContinues() {
        List<ListenerFailure> deadLetters = new CopyOnWriteArrayList<>();
        start(ContainerSettings.defaults().withRetryPolicy(FAST_RETRY)
                .withErrorHandler(ListenerErrorHandler.deadLetter(deadLetters::add)), OrderAndCustomerListeners.class);
        IllegalStateException boom = new IllegalStateException("boom");
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                throw boom;
            }
        };
        RowChange failing = events.insert(ORDERS, order(1, "A", "1.00", 1));
        ChangeBatch first = source().offer(failing);
        ChangeBatch second = source().offer(events.insert(ORDERS, order(2, "B", "1.00", 1)));
        source().awaitAcked(second);

        assertThat(source().acked()).containsExactly(first.id(), second.id());
        assertThat(deadLetters).singleElement().satisfies(failure -> {
            assertThat(failure.events()).containsExactly(failing);
            assertThat(failure.error()).isSameAs(boom);
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(failure.endpoint().id()).isEqualTo("orders");
            assertThat(failure.source()).isEqualTo("main");
        });
    }

    @Test
    void failingDeadLetterHandlerStopsTheContainer() {
        start(ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry())
                .withErrorHandler(ListenerErrorHandler.deadLetter(failure -> {
                    throw new IllegalStateException("dead-letter store down");
                })), OrderAndCustomerListeners.class);
        script().action = change -> {
            throw new IllegalStateException("boom");
        };
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)));
        source().awaitRolledBack(batch);
        await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
        assertThat(source().acked()).isEmpty();
        assertThat(container().getLastError().getSuppressed()).singleElement()
                .satisfies(e -> assertThat(e).hasMessage("dead-letter store down"));
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void shutdownMidBatchRollsBackWhenTheListenerDoesNotFinishInTime() throws Exception {
        start(ContainerSettings.defaults().withShutdownTimeout(Duration.ZERO), OrderAndCustomerListeners.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        script().action = change -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)), events.customer(1, "c"));
        assertThat(entered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        context.stop();

        assertThat(interrupted.getCount()).isZero();
        assertThat(source().rolledBack()).containsExactly(batch.id());
        assertThat(source().acked()).isEmpty();
        assertThat(received()).containsExactly("orders#1@canal-listener-main");
        assertThat(container().getState()).isEqualTo(ContainerState.STOPPED);
        assertThat(source().closes()).isEqualTo(1);
    }

    @Test
    void shutdownLetsTheInFlightBatchFinishWithinTheTimeout() throws Exception {
        start(ContainerSettings.defaults(), OrderAndCustomerListeners.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            entered.countDown();
            release.await();
        };
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)), events.customer(1, "c"));
        assertThat(entered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CountDownLatch stopped = new CountDownLatch(1);
        container().stop(stopped::countDown);
        assertThat(container().getState()).isEqualTo(ContainerState.STOPPING);
        release.countDown();

        assertThat(stopped.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(source().acked()).containsExactly(batch.id());
        assertThat(source().rolledBack()).isEmpty();
        assertThat(received()).containsExactly("orders#1@canal-listener-main", "customers#1@canal-listener-main");
        assertThat(container().getState()).isEqualTo(ContainerState.STOPPED);
    }

    @Test
    void stopDuringRetryBackOffEndsPromptlyAndRollsBack() throws Exception {
        RecordingObserver observer = new RecordingObserver();
        RetryPolicy slow = new RetryPolicy(5, Duration.ofHours(1), 1.0, Duration.ofHours(1));
        start(ContainerSettings.defaults().withRetryPolicy(slow).withShutdownTimeout(Duration.ZERO)
                .withObserver(observer), OrderAndCustomerListeners.class);
        script().action = change -> {
            throw new IllegalStateException("down");
        };
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)));
        await(() -> observer.calls.contains("retry orders 2"), "a retry to be scheduled");

        CountDownLatch stopped = new CountDownLatch(1);
        container().stop(stopped::countDown);

        assertThat(stopped.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(source().rolledBack()).containsExactly(batch.id());
        assertThat(source().acked()).isEmpty();
        assertThat(container().getState()).isEqualTo(ContainerState.STOPPED);
    }

    @Test
    void listenerMayStopItsOwnContainerAndItsBatchStillCompletes() {
        start(ContainerSettings.defaults(), OrderAndCustomerListeners.class);
        script().action = change -> container().stop();
        ChangeBatch batch = source().offer(events.insert(ORDERS, order(1, "A", "1.00", 1)), events.customer(1, "c"));
        source().awaitAcked(batch);
        await(() -> container().getState() == ContainerState.STOPPED, "container STOPPED");
        assertThat(received()).containsExactly("orders#1@canal-listener-main", "customers#1@canal-listener-main");
    }

    // ---------------------------------------------------------------- source errors

    @Test
    void nonRetryableSourceErrorFailsTheContainer() {
        start(ContainerSettings.defaults(), OrderAndCustomerListeners.class);
        SourceException error = new SourceException("binlog binlog.000001 was purged on server db:3306");
        source().failNextPoll(error);
        await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
        assertThat(container().getLastError()).isSameAs(error);
        source().awaitClosed();
    }

    @Test
    void retryableSourceErrorIsRetriedByTheSourcePolicyNotTheListenersOne() {
        start(ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry()).withSourceRetryPolicy(FAST_RETRY),
                OrderAndCustomerListeners.class);
        source().failNextPoll(new SourceException("connection reset", null, true));
        ChangeBatch batch = source().offer(events.customer(1, "c"));
        source().awaitAcked(batch);
        assertThat(container().getState()).isEqualTo(ContainerState.RUNNING);
        assertThat(container().getLastError()).isNull();
    }

    @Test
    void retryableSourceErrorsBeyondTheSourcePolicyFailTheContainer() {
        start(ContainerSettings.defaults().withRetryPolicy(FAST_RETRY).withSourceRetryPolicy(RetryPolicy.noRetry()),
                OrderAndCustomerListeners.class);
        SourceException error = new SourceException("connection reset", null, true);
        source().failNextPoll(error);
        await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
        assertThat(container().getLastError()).isSameAs(error);
    }

    // ---------------------------------------------------------------- pause, resume, start-up

    @Test
    void pauseStopsPollingUntilResume() {
        start(ContainerSettings.defaults(), OrderAndCustomerListeners.class);
        ChangeBatch first = source().offer(events.customer(1, "c"));
        source().awaitAcked(first);

        container().pause();
        await(() -> container().getState() == ContainerState.PAUSED, "container PAUSED");
        ChangeBatch second = source().offer(events.customer(2, "d"));
        assertThat(received()).containsExactly("customers#1@canal-listener-main");
        assertThat(source().acked()).containsExactly(first.id());

        container().resume();
        source().awaitAcked(second);
        assertThat(container().getState()).isEqualTo(ContainerState.RUNNING);
        assertThat(received()).containsExactly("customers#1@canal-listener-main", "customers#2@canal-listener-main");
    }

    @Test
    void containerCanStartPaused() {
        start(ContainerSettings.defaults().withStartPaused(true), OrderAndCustomerListeners.class);
        ChangeBatch batch = source().offer(events.customer(1, "c"));
        await(() -> container().getState() == ContainerState.PAUSED, "container PAUSED");
        assertThat(source().starts()).isEqualTo(1);
        assertThat(received()).isEmpty();

        container().resume();
        source().awaitAcked(batch);
    }

    @Test
    void withoutAutoStartupNothingRunsUntilStarted() {
        start(ContainerSettings.defaults().withAutoStartup(false), OrderAndCustomerListeners.class);
        assertThat(container().isRunning()).isFalse();
        assertThat(source().starts()).isZero();

        context.getBean(CanalListenerEndpointRegistry.class).start();
        ChangeBatch batch = source().offer(events.customer(1, "c"));
        source().awaitAcked(batch);
    }

    // ---------------------------------------------------------------- several sources

    @Configuration
    static class TwoSources {
        @Bean
        InMemoryChangeSource shopSource() {
            return new InMemoryChangeSource("shop-db");
        }

        @Bean
        InMemoryChangeSource crmSource() {
            return new InMemoryChangeSource("crm-db");
        }

        @Bean
        InMemoryChangeSource unusedSource() {
            return new InMemoryChangeSource("unused");
        }

        @Bean
        Received received() {
            return new Received();
        }
    }

    @Import(TwoSources.class)
    static class RoutedListeners {
        final Received received;

        RoutedListeners(Received received) {
            this.received = received;
        }

        @CanalListener(table = "*.*", source = "shop-db")
        void shop(RowChange change) {
            received.add("shop " + change.qualifiedTable());
        }

        @CanalListener(table = "*.*", source = "crm-db")
        void crm(RowChange change) {
            received.add("crm " + change.qualifiedTable());
        }
    }

    @Test
    void listenersReceiveOnlyTheirSource() {
        start(ContainerSettings.defaults(), RoutedListeners.class);
        InMemoryChangeSource shop = context.getBean("shopSource", InMemoryChangeSource.class);
        InMemoryChangeSource crm = context.getBean("crmSource", InMemoryChangeSource.class);
        InMemoryChangeSource unused = context.getBean("unusedSource", InMemoryChangeSource.class);
        ChangeBatch shopBatch = shop.offer(new Events("shop-db").insert(ORDERS, order(1, "A", "1.00", 1)));
        shop.awaitAcked(shopBatch);
        ChangeBatch crmBatch = crm.offer(new Events("crm-db").contact(1, "x"));
        crm.awaitAcked(crmBatch);

        assertThat(context.getBean(Received.class).items()).containsExactly("shop shop.orders", "crm crm.contacts");
        CanalListenerEndpointRegistry registry = context.getBean(CanalListenerEndpointRegistry.class);
        assertThat(registry.getListenerContainers()).extracting(CanalListenerContainer::getSourceName)
                .containsExactly("shop-db", "crm-db");
        assertThat(unused.starts()).as("a source without listeners is not started").isZero();
    }
}
