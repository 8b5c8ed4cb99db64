package dev.canalboot.listener.container;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.testsupport.ListenerContexts;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.Events;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery with {@code concurrency > 1}: per-key order, acknowledgement only of batches done in full (and of
 * every batch before them), barriers, batch listeners, failures and shutdown with work in flight.
 */
class ConcurrentDispatchTest {

    private static final ListenerConcurrency FOUR_BY_KEY = new ListenerConcurrency(4, Ordering.KEY, 8);

    private final Events events = new Events("main");
    private AnnotationConfigApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    /** What the orders listener does besides recording; set by each test. */
    static class Script {
        volatile Action action = change -> {
        };

        interface Action {
            void run(RowChange change) throws Exception;
        }
    }

    /** Per key, the sequence numbers (quantity column) in the order the listener saw them. */
    static class Seen {
        final Map<Long, List<Integer>> byKey = new ConcurrentHashMap<>();
        final Set<Long> busy = ConcurrentHashMap.newKeySet();
        final List<String> overlaps = new CopyOnWriteArrayList<>();
        final AtomicInteger rows = new AtomicInteger();
        final List<String> transactions = new CopyOnWriteArrayList<>();
        final List<List<Integer>> batchCalls = new CopyOnWriteArrayList<>();
    }

    @Configuration
    static class MainSource {
        @Bean
        InMemoryChangeSource source() {
            return new InMemoryChangeSource("main");
        }

        @Bean
        Seen seen() {
            return new Seen();
        }

        @Bean
        Script script() {
            return new Script();
        }
    }

    static List<Long> keys(RowChange change) {
        List<Long> keys = new ArrayList<>();
        if (change.before() != null) {
            keys.add(change.before().getLong("id"));
        }
        if (change.after() != null && !keys.contains(change.after().getLong("id"))) {
            keys.add(change.after().getLong("id"));
        }
        return keys;
    }

    @Import(MainSource.class)
    static class KeyedListener {
        final Seen seen;
        final Script script;

        KeyedListener(Seen seen, Script script) {
            this.seen = seen;
            this.script = script;
        }

        @CanalListener(id = "orders", table = "shop.orders")
        void orders(RowChange change) throws Exception {
            List<Long> keys = keys(change);
            for (Long key : keys) {
                if (!seen.busy.add(key)) {
                    seen.overlaps.add("key " + key + " handled twice at once at " + change.position());
                }
            }
            try {
                script.action.run(change);
                int sequence = change.row().get("quantity", Integer.class);
                for (Long key : keys) {
                    seen.byKey.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(sequence);
                }
                seen.rows.incrementAndGet();
            } finally {
                keys.forEach(seen.busy::remove);
            }
        }
    }

    @Import(MainSource.class)
    static class KeyedAndTransactionListeners extends KeyedListener {
        KeyedAndTransactionListeners(Seen seen, Script script) {
            super(seen, script);
        }

        @CanalListener(id = "tx", table = "shop.*")
        void tx(TransactionBoundary boundary) {
            seen.transactions.add(boundary.kind() + " after " + seen.rows.get());
        }

        @CanalListener(id = "ddl", table = "shop.*")
        void ddl(SchemaChange change) {
            seen.transactions.add("DDL after " + seen.rows.get());
        }
    }

    @Import(MainSource.class)
    static class BatchListener {
        final Seen seen;

        BatchListener(Seen seen) {
            this.seen = seen;
        }

        @CanalListener(id = "changes", table = "shop.orders")
        void changes(List<RowChange> changes) {
            seen.batchCalls.add(changes.stream().map(c -> c.row().get("quantity", Integer.class)).toList());
        }
    }

    private void start(ContainerSettings settings, Class<?>... classes) {
        context = ListenerContexts.create(Map.of(), classes);
        context.registerBean(ContainerSettings.class, () -> settings);
        context.refresh();
    }

    private InMemoryChangeSource source() {
        return context.getBean(InMemoryChangeSource.class);
    }

    private Seen seen() {
        return context.getBean(Seen.class);
    }

    private Script script() {
        return context.getBean(Script.class);
    }

    private CanalListenerContainer container() {
        return context.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("main");
    }

    private static ContainerSettings concurrent(ListenerConcurrency concurrency) {
        return ContainerSettings.defaults().withConcurrency(concurrency).withRetryPolicy(RetryPolicy.noRetry());
    }

    private RowChange upsert(long id, int sequence) {
        return events.update(ORDERS, order(id, "O", "1.00", sequence - 1), order(id, "O", "1.00", sequence));
    }

    /** Binlog order per key, as offered; a key-changing update counts for both keys. */
    private static Map<Long, List<Integer>> expectedPerKey(List<ChangeBatch> batches) {
        Map<Long, List<Integer>> expected = new LinkedHashMap<>();
        for (ChangeBatch batch : batches) {
            for (ChangeEvent event : batch.events()) {
                if (event instanceof RowChange row) {
                    for (Long key : keys(row)) {
                        expected.computeIfAbsent(key, k -> new ArrayList<>()).add(row.row().get("quantity", Integer.class));
                    }
                }
            }
        }
        return expected;
    }

    // ---------------------------------------------------------------- order

    @Test
    void rowsOfOneKeyKeepBinlogOrderAndNeverRunTwiceAtOnceWhileKeysRunInParallel() {
        start(concurrent(new ListenerConcurrency(4, Ordering.KEY, 4)), KeyedListener.class);
        Random random = new Random(17);
        script().action = change -> LockSupport.parkNanos(random.nextInt(200_000));
        List<ChangeBatch> batches = new ArrayList<>();
        int sequence = 0;
        long movedKey = 5;
        for (int b = 0; b < 60; b++) {
            List<ChangeEvent> rows = new ArrayList<>();
            for (int r = 0; r < 10; r++) {
                sequence++;
                if (sequence % 37 == 0) {
                    // The primary key changes: later rows of both the old and the new key must wait for it.
                    long to = movedKey == 5 ? 105 : 5;
                    rows.add(events.update(ORDERS, order(movedKey, "O", "1.00", sequence - 1),
                            order(to, "O", "1.00", sequence)));
                    movedKey = to;
                } else {
                    long key = r % 3 == 0 ? movedKey : random.nextInt(8);
                    rows.add(key == 5 || key == 105 ? upsert(movedKey, sequence) : upsert(key, sequence));
                }
            }
            batches.add(source().offer(rows.toArray(ChangeEvent[]::new)));
        }
        source().awaitAcked(batches.get(batches.size() - 1));

        assertThat(seen().overlaps).isEmpty();
        assertThat(seen().byKey).isEqualTo(expectedPerKey(batches));
        assertThat(source().acked()).containsExactlyElementsOf(batches.stream().map(ChangeBatch::id).toList());
        await(() -> container().getRowsDelivered() == 600, "600 rows counted");
        assertThat(container().getRowsInFlight()).isZero();
    }

    @Test
    void manyPrimaryKeyChangesInOneBatchKeepOrderAcrossWorkers() {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        List<ChangeEvent> rows = new ArrayList<>();
        int sequence = 0;
        for (int round = 0; round < 6; round++) {
            for (long id = 1; id <= 8; id++) {
                long from = round % 2 == 0 ? id : id + 100;
                long to = round % 2 == 0 ? id + 100 : id;
                rows.add(upsert(from == id ? id + 50 : id + 150, ++sequence)); // another key in between
                rows.add(events.update(ORDERS, order(from, "O", "1.00", sequence), order(to, "O", "1.00", ++sequence)));
            }
        }
        ChangeBatch batch = source().offer(rows.toArray(ChangeEvent[]::new));
        source().awaitAcked(batch);
        assertThat(seen().overlaps).isEmpty();
        assertThat(seen().byKey).isEqualTo(expectedPerKey(List.of(batch)));
    }

    @Test
    void tableOrderingKeepsEachTableInOrder() {
        start(concurrent(new ListenerConcurrency(3, Ordering.TABLE, 4)), KeyedListener.class);
        List<ChangeBatch> batches = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            batches.add(source().offer(upsert(b % 4, b * 2 + 1), upsert(b % 5, b * 2 + 2)));
        }
        source().awaitAcked(batches.get(19));
        assertThat(seen().byKey).isEqualTo(expectedPerKey(batches));
    }

    @Test
    void aTableWithoutPrimaryKeyIsHandledInTableOrder() {
        TableSchema noKey = new TableSchema("shop", "orders", List.of(
                Events.column("id", 0, dev.canalboot.model.ColumnType.BIGINT, false),
                Events.column("order_no", 1, dev.canalboot.model.ColumnType.VARCHAR, false),
                Events.column("amount", 2, dev.canalboot.model.ColumnType.DECIMAL, false),
                Events.column("created_at", 3, dev.canalboot.model.ColumnType.DATETIME, false),
                Events.column("quantity", 4, dev.canalboot.model.ColumnType.INT, false)));
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        List<Integer> order = new CopyOnWriteArrayList<>();
        script().action = change -> order.add(change.row().get("quantity", Integer.class));
        List<ChangeBatch> batches = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            batches.add(source().offer(events.insert(noKey, order(i, "O", "1.00", i))));
        }
        source().awaitAcked(batches.get(39));
        assertThat(order).isSorted().hasSize(40);
    }

    @Test
    void transactionAndSchemaChangeListenersAreBarriers() {
        start(concurrent(FOUR_BY_KEY), KeyedAndTransactionListeners.class);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                Thread.sleep(30); // a slow key: the barrier must still wait for it
            }
        };
        ChangeBatch batch = source().offer(events.begin(), upsert(1, 1), upsert(2, 2), upsert(3, 3),
                events.commit("x1"), events.begin(), upsert(4, 4), upsert(1, 5), events.commit("x2"),
                events.ddl("shop", "orders", "ALTER TABLE orders ADD note TEXT"), upsert(1, 6), upsert(5, 7));
        source().awaitAcked(batch);
        assertThat(seen().transactions).containsExactly("BEGIN after 0", "COMMIT after 3", "BEGIN after 3",
                "COMMIT after 5", "DDL after 5");
        assertThat(seen().rows.get()).isEqualTo(7);
    }

    @Test
    void batchListenersGetEachKeysRowsOfABatchInOrder() {
        start(concurrent(FOUR_BY_KEY), BatchListener.class);
        List<ChangeEvent> rows = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            rows.add(upsert(i % 7, i));
        }
        ChangeBatch batch = source().offer(rows.toArray(ChangeEvent[]::new));
        source().awaitAcked(batch);

        List<List<Integer>> calls = seen().batchCalls;
        assertThat(calls).as("one call per key of the batch").hasSize(7);
        assertThat(calls).allSatisfy(call -> {
            assertThat(call).isSorted();
            assertThat(call.stream().map(sequence -> sequence % 7).distinct()).as("one key's rows").hasSize(1);
        });
        assertThat(calls.stream().flatMap(List::stream).sorted().toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
    }

    // ---------------------------------------------------------------- acknowledgement

    @Test
    void nothingIsAcknowledgedAheadOfAnUnfinishedRowWhileLaterBatchesGoOn() throws Exception {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        CountDownLatch slowEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                slowEntered.countDown();
                release.await();
            }
        };
        ChangeBatch slow = source().offer(upsert(2, 1), upsert(1, 2), upsert(3, 3));
        List<ChangeBatch> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(source().offer(upsert(2, 10 + i), upsert(3, 20 + i)));
        }
        assertThat(slowEntered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // Other keys of later batches are handled while key 1 is stuck: the reader does not wait for it.
        await(() -> seen().rows.get() == 12, "every row but the slow one handled");
        await(() -> container().getRowsInFlight() == 1, "only the slow row in flight");
        Thread.sleep(100); // the container acknowledges within a few ms of a batch being done
        assertThat(source().acked()).as("no batch acknowledged ahead of the unfinished row").isEmpty();
        assertThat(container().getRowsInFlight()).isEqualTo(1);

        release.countDown();
        source().awaitAcked(later.get(4));
        List<Long> expected = new ArrayList<>(List.of(slow.id()));
        later.forEach(batch -> expected.add(batch.id()));
        assertThat(source().acked()).containsExactlyElementsOf(expected);
    }

    @Test
    void aSlowKeyHoldsOnlyItsOwnLaterRowsNotOtherKeys() throws Exception {
        start(concurrent(new ListenerConcurrency(4, Ordering.KEY, 64)), KeyedListener.class);
        CountDownLatch slowEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            if (change.row().getLong("id") == 1L && change.row().get("quantity", Integer.class) == 1) {
                slowEntered.countDown();
                release.await();
            }
        };
        List<ChangeBatch> batches = new ArrayList<>();
        batches.add(source().offer(upsert(1, 1)));
        assertThat(slowEntered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        int sequence = 1;
        for (int b = 0; b < 20; b++) {
            List<ChangeEvent> rows = new ArrayList<>(List.of(upsert(1, ++sequence)));
            for (int k = 0; k < 5; k++) {
                rows.add(upsert(2 + b * 5 + k, ++sequence)); // 100 other keys, some of them hashing like key 1
            }
            batches.add(source().offer(rows.toArray(ChangeEvent[]::new)));
        }
        // With one stuck worker, the other three handle every row of every other key; key 1's rows wait.
        await(() -> seen().rows.get() == 100, "every row of the other keys handled while key 1 is stuck");
        assertThat(seen().byKey.get(1L)).isNull();
        // A row is counted seen inside its listener and leaves the in-flight count just after it returns
        await(() -> container().getRowsInFlight() == 21, "the slow row and key 1's 20 waiting rows in flight");
        assertThat(source().acked()).isEmpty();

        release.countDown();
        source().awaitAcked(batches.get(batches.size() - 1));
        assertThat(seen().overlaps).isEmpty();
        assertThat(seen().byKey).isEqualTo(expectedPerKey(batches));
        assertThat(source().acked()).containsExactlyElementsOf(batches.stream().map(ChangeBatch::id).toList());
    }

    @Test
    void maxInFlightBoundsTheBatchesReadAheadOfAnUnfinishedOne() throws Exception {
        start(concurrent(new ListenerConcurrency(4, Ordering.KEY, 2)), KeyedListener.class);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                release.await();
            }
        };
        ChangeBatch slow = source().offer(upsert(1, 1));
        ChangeBatch second = source().offer(upsert(2, 2));
        ChangeBatch third = source().offer(upsert(3, 3));
        await(() -> seen().rows.get() == 1, "the second batch handled");
        Thread.sleep(100);
        assertThat(seen().rows.get()).as("the third batch waits: two are in flight").isEqualTo(1);
        release.countDown();
        source().awaitAcked(third);
        assertThat(source().acked()).containsExactly(slow.id(), second.id(), third.id());
    }

    // ---------------------------------------------------------------- failures with work in flight

    @Test
    void stopFinishesEarlierWorkAndAcknowledgesNothingFromTheFailedBatchOn() throws Exception {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        CountDownLatch slowEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        script().action = change -> {
            long id = change.row().getLong("id");
            if (id == 1L) {
                slowEntered.countDown();
                release.await();
            } else if (id == 2L) {
                failed.countDown();
                throw new IllegalStateException("constraint violated");
            }
        };
        ChangeBatch first = source().offer(upsert(1, 1), upsert(3, 2));
        assertThat(slowEntered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        ChangeBatch failing = source().offer(upsert(3, 3), upsert(2, 4));
        source().offer(upsert(3, 5));
        // The row of key 2 fails while key 1's row of the first batch is still running.
        assertThat(failed.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await(() -> container().getRowsInFlight() == 1 && seen().rows.get() >= 1, "all but the slow row ended");
        assertThat(source().acked()).isEmpty();
        release.countDown();

        source().awaitRolledBack(failing);
        await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
        assertThat(source().acked()).containsExactly(first.id());
        assertThat(source().rolledBack()).containsExactly(failing.id());
        assertThat(container().getLastError()).isInstanceOf(ListenerExecutionFailedException.class)
                .hasRootCauseMessage("constraint violated");
    }

    @Test
    void skipCarriesOnWithWorkInFlightAndAcknowledgesEverything() {
        start(concurrent(FOUR_BY_KEY).withErrorHandler(ListenerErrorHandler.skipAndLog()), KeyedListener.class);
        script().action = change -> {
            if (change.row().get("quantity", Integer.class) % 5 == 0) {
                throw new IllegalStateException("bad row");
            }
        };
        List<ChangeBatch> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batches.add(source().offer(upsert(i % 3, i * 2 + 1), upsert(i % 4 + 10, i * 2 + 2)));
        }
        source().awaitAcked(batches.get(9));
        assertThat(source().acked()).hasSize(10);
        assertThat(source().rolledBack()).isEmpty();
        assertThat(seen().rows.get()).isEqualTo(16);
        assertThat(container().getState()).isEqualTo(ContainerState.RUNNING);
    }

    @Test
    void deadLetterGetsTheFailedRowAfterItsRetriesWhileLaterRowsOfItsKeyWaitAndOtherKeysGoOn() {
        List<ListenerFailure> deadLetters = new CopyOnWriteArrayList<>();
        List<Integer> key1 = new CopyOnWriteArrayList<>();
        List<Integer> otherKeysBeforeTheDeadLetter = new CopyOnWriteArrayList<>();
        start(concurrent(FOUR_BY_KEY).withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(100), 1.0, Duration.ofMillis(100)))
                .withErrorHandler(ListenerErrorHandler.deadLetter(failure -> {
                    key1.add(-1);
                    otherKeysBeforeTheDeadLetter.addAll(seen().byKey.getOrDefault(2L, List.of()));
                    deadLetters.add(failure);
                })), KeyedListener.class);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                key1.add(change.row().get("quantity", Integer.class));
                if (change.row().get("quantity", Integer.class) == 1) {
                    throw new IllegalStateException("boom");
                }
            }
        };
        ChangeBatch first = source().offer(upsert(1, 1), upsert(2, 2));
        ChangeBatch second = source().offer(upsert(1, 3), upsert(2, 4));
        source().awaitAcked(second);

        assertThat(source().acked()).containsExactly(first.id(), second.id());
        assertThat(key1).as("three attempts, the dead letter, then the next row of the key").containsExactly(1, 1, 1, -1, 3);
        assertThat(otherKeysBeforeTheDeadLetter).as("key 2's rows of both batches, handled during key 1's retries")
                .containsExactly(2, 4);
        assertThat(deadLetters).singleElement().satisfies(failure -> assertThat(failure.attempts()).isEqualTo(3));
    }

    @Test
    void aListenerInterruptedWithoutAStopRequestStopsTheContainerInsteadOfHanging() {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        script().action = change -> {
            throw new InterruptedException("interrupted by the listener's own pool");
        };
        ChangeBatch batch = source().offer(upsert(1, 1));
        source().awaitRolledBack(batch);
        await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
        assertThat(container().getLastError()).hasMessageContaining("interrupted without a stop request");
        assertThat(source().acked()).isEmpty();
    }

    // ---------------------------------------------------------------- shutdown and pause with work in flight

    @Test
    void stopLetsTheWorkInFlightFinishAndAcknowledgesIt() throws Exception {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                entered.countDown();
                release.await();
            }
        };
        ChangeBatch first = source().offer(upsert(1, 1), upsert(2, 2));
        ChangeBatch second = source().offer(upsert(3, 3));
        assertThat(entered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await(() -> seen().rows.get() == 2, "the other rows handled");

        CountDownLatch stopped = new CountDownLatch(1);
        container().stop(stopped::countDown);
        release.countDown();
        assertThat(stopped.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(source().acked()).containsExactly(first.id(), second.id());
        assertThat(source().rolledBack()).isEmpty();
        assertThat(container().getState()).isEqualTo(ContainerState.STOPPED);
    }

    @Test
    void stopPastTheShutdownTimeoutInterruptsAndRollsBackTheUnfinishedBatches() throws Exception {
        start(concurrent(FOUR_BY_KEY).withShutdownTimeout(Duration.ofMillis(100)), KeyedListener.class);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                entered.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }
        };
        ChangeBatch done = source().offer(upsert(2, 1));
        source().awaitAcked(done);
        ChangeBatch stuck = source().offer(upsert(1, 2), upsert(2, 3));
        source().offer(upsert(3, 4));
        assertThat(entered.await(InMemoryChangeSource.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        container().stop();

        assertThat(interrupted.getCount()).isZero();
        assertThat(source().acked()).containsExactly(done.id());
        assertThat(source().rolledBack()).containsExactly(stuck.id());
        assertThat(container().getState()).isEqualTo(ContainerState.STOPPED);
        assertThat(source().closes()).isEqualTo(1);

        // Restart: the workers come back.
        script().action = change -> {
        };
        container().start();
        ChangeBatch afterRestart = source().offer(upsert(4, 5));
        source().awaitAcked(afterRestart);
    }

    @Test
    void pauseLetsTheWorkInFlightFinishFirst() throws Exception {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        CountDownLatch release = new CountDownLatch(1);
        script().action = change -> {
            if (change.row().getLong("id") == 1L) {
                release.await();
            }
        };
        ChangeBatch first = source().offer(upsert(1, 1));
        await(() -> container().getRowsInFlight() == 1, "a row in flight");
        container().pause();
        Thread.sleep(50);
        assertThat(container().getState()).as("not paused while a row is in flight").isEqualTo(ContainerState.RUNNING);
        release.countDown();
        await(() -> container().getState() == ContainerState.PAUSED, "container PAUSED");
        assertThat(source().acked()).containsExactly(first.id());

        ChangeBatch second = source().offer(upsert(2, 2));
        Thread.sleep(50);
        assertThat(seen().rows.get()).isEqualTo(1);
        container().resume();
        source().awaitAcked(second);
    }

    @Test
    void aListenerMayStopItsOwnContainerFromAWorker() {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        script().action = change -> container().stop();
        ChangeBatch batch = source().offer(upsert(1, 1), upsert(2, 2));
        source().awaitAcked(batch);
        await(() -> container().getState() == ContainerState.STOPPED, "container STOPPED");
    }

    @Test
    void aTaskExecutorOfTheApplicationRunsTheWorkers() {
        org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor executor =
                new org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor();
        executor.setCorePoolSize(4);
        executor.setThreadNamePrefix("app-pool-");
        executor.initialize();
        try {
            start(concurrent(FOUR_BY_KEY).withExecutor(executor), KeyedListener.class);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            script().action = change -> threads.add(Thread.currentThread().getName());
            ChangeBatch batch = source().offer(upsert(1, 1), upsert(2, 2), upsert(3, 3), upsert(4, 4));
            source().awaitAcked(batch);
            assertThat(threads).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("app-pool-"));
        } finally {
            context.close();
            executor.shutdown();
        }
    }

    @Test
    void aTaskExecutorThatCannotRunEveryWorkerFailsTheContainerNamingTheFix() {
        org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor executor =
                new org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor();
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(2);
        executor.setQueueCapacity(0);
        executor.initialize();
        try {
            start(concurrent(FOUR_BY_KEY).withExecutor(executor), KeyedListener.class);
            await(() -> container().getState() == ContainerState.FAILED, "container FAILED");
            assertThat(container().getLastError()).hasMessageContaining("rejected a worker")
                    .hasMessageContaining("at least 4 threads");
            await(() -> executor.getActiveCount() == 0, "the started workers ended");
        } finally {
            context.close();
            executor.shutdown();
        }
    }

    @Test
    void workersRunOnTheirOwnThreadsAndInsertsAndDeletesAreKeyed() {
        start(concurrent(FOUR_BY_KEY), KeyedListener.class);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        script().action = change -> threads.add(Thread.currentThread().getName());
        List<ChangeBatch> batches = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            batches.add(source().offer(events.insert(ORDERS, order(i, "O", "1.00", 1)),
                    events.delete(ORDERS, order(i, "O", "1.00", 2))));
        }
        source().awaitAcked(batches.get(19));
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("canal-main-worker-"));
        assertThat(seen().byKey.values()).allSatisfy(sequence -> assertThat(sequence).containsExactly(1, 2));
        assertThat(ChangeType.values()).isNotEmpty();
    }
}
