package dev.canalboot.actuate;

import dev.canalboot.listener.container.CompositeContainerObserver;
import dev.canalboot.testsupport.TestContainers.Fixture;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.TableSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.canalboot.testsupport.TestContainers.endpoint;
import static dev.canalboot.testsupport.TestContainers.row;
import static dev.canalboot.testsupport.TestContainers.table;
import static org.assertj.core.api.Assertions.assertThat;

class CanalMetricsTest {

    private static final TableSchema ORDERS = table("shop", "orders");
    private static final TableSchema CUSTOMERS = table("shop", "customers");
    private static final TableSchema CONTACTS = table("crm", "contacts");

    private final InMemoryChangeSource source = new InMemoryChangeSource("main");
    private final RecordingInvoker invoker = new RecordingInvoker();
    private Fixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.container.stop();
        }
    }

    @Test
    void countsRowsPerTableAndTypeWithTablesBeyondTheLimitAsOther() {
        fixture = new Fixture(source, 2, endpoint("all", invoker, "shop.orders", "shop.customers", "crm.contacts"));
        fixture.container.start();
        Instant committed = fixture.clock.now();
        ChangeBatch batch = source.offer(
                row("main", ORDERS, ChangeType.INSERT, 1, committed),
                row("main", ORDERS, ChangeType.INSERT, 2, committed),
                row("main", ORDERS, ChangeType.UPDATE, 1, committed),
                row("main", CUSTOMERS, ChangeType.DELETE, 7, committed),
                row("main", CONTACTS, ChangeType.INSERT, 9, committed));
        awaitAcknowledged(batch, 1);

        assertThat(rows("shop.orders", "insert")).isEqualTo(2);
        assertThat(rows("shop.orders", "update")).isEqualTo(1);
        assertThat(rows("shop.customers", "delete")).isEqualTo(1);
        assertThat(rows("other", "insert")).isEqualTo(1);
        assertThat(fixture.meters.find("canal.rows").tag("table", "crm.contacts").counter()).isNull();
        assertThat(invoker.received).hasSize(5);

        Timer acknowledged = fixture.meters.get("canal.batches").tags("source", "main", "outcome", "acknowledged").timer();
        assertThat(acknowledged.count()).isEqualTo(1);
        Timer invocations = fixture.meters.get("canal.listener.invocations").tags("source", "main", "listener", "all").timer();
        assertThat(invocations.count()).isEqualTo(5);
        assertThat(fixture.meters.get("canal.batch.size").tag("source", "main").summary().totalAmount()).isEqualTo(5);
    }

    @Test
    void concurrencyMetersShowRowsInFlightWorkerQueuesAndKeyWait() {
        fixture = new Fixture(source, 10, settings -> settings.withConcurrency(
                new ListenerConcurrency(4, ListenerConcurrency.Ordering.KEY, 4)), endpoint("orders", invoker, "shop.orders"));
        fixture.container.start();
        Instant committed = fixture.clock.now();
        ChangeBatch batch = source.offer(row("main", ORDERS, ChangeType.INSERT, 1, committed),
                row("main", ORDERS, ChangeType.INSERT, 2, committed), row("main", ORDERS, ChangeType.INSERT, 3, committed));
        awaitAcknowledged(batch, 1);

        assertThat(fixture.meters.get("canal.listener.rows.in.flight").tag("source", "main").gauge().value()).isZero();
        for (int worker = 0; worker < 4; worker++) {
            assertThat(fixture.meters.get("canal.listener.worker.queue").tags("source", "main", "worker",
                    Integer.toString(worker)).gauge().value()).isZero();
        }
        Timer keyWait = fixture.meters.get("canal.listener.key.wait").tag("source", "main").timer();
        assertThat(keyWait.count()).as("one sample per worker share").isBetween(1L, 3L);
    }

    @Test
    void withOneWorkerThereAreNoWorkerMeters() {
        fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
        fixture.container.start();
        awaitAcknowledged(source.offer(row("main", ORDERS, ChangeType.INSERT, 1, fixture.clock.now())), 1);
        assertThat(fixture.meters.find("canal.listener.worker.queue").gauge()).isNull();
        assertThat(fixture.meters.find("canal.listener.key.wait").timer()).isNull();
        assertThat(fixture.meters.get("canal.listener.rows.in.flight").gauge().value()).isZero();
    }

    @Test
    void lagGaugeFollowsCommitTimeOfLastDeliveredChange() {
        fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
        fixture.container.start();
        Gauge lag = fixture.meters.get("canal.lag").tag("source", "main").gauge();
        assertThat(lag.value()).isNaN();

        Instant committed = fixture.clock.now().minusSeconds(4);
        awaitAcknowledged(source.offer(row("main", ORDERS, ChangeType.INSERT, 1, committed)), 1);
        assertThat(lag.value()).isEqualTo(4.0); // seconds, the registry's base time unit
        fixture.clock.advance(Duration.ofSeconds(6));
        assertThat(lag.value()).isEqualTo(10.0);

        // An empty batch acknowledged: nothing was pending at that moment.
        awaitAcknowledged(source.offer(), 2);
        fixture.clock.advance(Duration.ofMillis(1500));
        assertThat(lag.value()).isEqualTo(1.5);
    }

    @Test
    void countsListenerErrorsRetriesAndContainerFailures() {
        fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
        fixture.container.start();
        invoker.failuresLeft.set(1); // first attempt fails, the retry succeeds
        awaitAcknowledged(source.offer(row("main", ORDERS, ChangeType.INSERT, 1, fixture.clock.now())), 1);
        assertThat(fixture.meters.get("canal.listener.errors")
                .tags("source", "main", "listener", "orders", "exception", "IllegalStateException").counter().count())
                .isEqualTo(1);
        assertThat(fixture.meters.get("canal.listener.retries").tags("source", "main", "listener", "orders")
                .counter().count()).isEqualTo(1);

        invoker.failuresLeft.set(2); // both attempts fail: the container stops
        ChangeBatch failing = source.offer(row("main", ORDERS, ChangeType.INSERT, 2, fixture.clock.now()));
        source.awaitRolledBack(failing);
        InMemoryChangeSource.await(() -> fixture.meters.get("canal.container.failures").counter().count() == 1,
                "container failure counted");
        assertThat(fixture.meters.get("canal.batches").tags("outcome", "rolled_back").timer().count()).isEqualTo(1);
        assertThat(fixture.meters.get("canal.container.state").tags("source", "main", "state", "failed").gauge().value())
                .isEqualTo(1.0);
        assertThat(fixture.meters.get("canal.container.state").tags("source", "main", "state", "running").gauge().value())
                .isZero();
    }

    @Test
    void sourceStateGaugeHasOneSeriesPerState() {
        fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
        fixture.container.start();
        InMemoryChangeSource.await(() -> fixture.meters.find("canal.source.state").tag("state", "connected").gauge() != null
                && fixture.meters.get("canal.source.state").tag("state", "connected").gauge().value() == 1.0,
                "connected state reported");
        assertThat(fixture.meters.find("canal.source.state").gauges()).hasSize(6);
        // InMemoryChangeSource keeps no counters: no meter pretends it does.
        assertThat(fixture.meters.find("canal.source.bytes.read").meters()).isEmpty();
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19
    void knownTableCountingAllocatesNothingPerRow() {
        fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
        CanalMetrics metrics = fixture.metrics;
        Instant committed = fixture.clock.now();
        ChangeBatch batch = new ChangeBatch(1, java.util.List.of(
                row("main", ORDERS, ChangeType.INSERT, 1, committed),
                row("main", ORDERS, ChangeType.UPDATE, 1, committed),
                row("main", CUSTOMERS, ChangeType.DELETE, 1, committed),
                row("main", ORDERS, ChangeType.INSERT, 2, committed)));
        int rounds = 250_000;
        for (int i = 0; i < rounds; i++) { // warm-up: tables admitted, code compiled
            metrics.batchAcknowledged("main", batch);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            metrics.batchAcknowledged("main", batch);
        }
        long nanos = System.nanoTime() - started;
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        long rowsCounted = 4L * rounds;
        System.out.printf("canal.rows counting: %d rows, %.1f ns/row, %d bytes allocated (%.4f bytes/row)%n",
                rowsCounted, (double) nanos / rowsCounted, allocated, (double) allocated / rowsCounted);
        assertThat(rows("shop.orders", "insert")).isEqualTo(2.0 * 2 * rounds);
        // Not a timing: the hot path must not allocate per row (a few KB of noise from the measurement itself).
        assertThat((double) allocated / rowsCounted).isLessThan(0.1);
    }

    @Test
    @SuppressWarnings("deprecation") // Thread.getId: threadId() needs Java 19
    void observerOverheadPerRowComparedWithNoObserver() {
        fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
        ContainerObserver observers = CompositeContainerObserver.of(java.util.List.of(fixture.monitors, fixture.metrics));
        ListenerEndpoint orders = fixture.container.getEndpoints().get(0);
        java.util.List<dev.canalboot.model.ChangeEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(row("main", i % 2 == 0 ? ORDERS : CUSTOMERS, ChangeType.INSERT, i, fixture.clock.now()));
        }
        ChangeBatch batch = new ChangeBatch(1, events);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int rounds = 20_000;
        long[] noop = new long[2];
        long[] observed = new long[2];
        for (int pass = 0; pass < 2; pass++) { // first pass warms up, the second is reported
            noop = containerCallbacks(ContainerObserver.NOOP, orders, batch, rounds, threads, thread);
            observed = containerCallbacks(observers, orders, batch, rounds, threads, thread);
        }
        long rowsSeen = 100L * rounds;
        System.out.printf("container callbacks per row (batch of 100, monitors + metrics): %.1f ns observed vs "
                        + "%.1f ns with no observer; %.4f bytes/row allocated vs %.4f%n",
                (double) observed[0] / rowsSeen, (double) noop[0] / rowsSeen,
                (double) observed[1] / rowsSeen, (double) noop[1] / rowsSeen);
        assertThat((double) observed[1] / rowsSeen).isLessThan(0.1);
    }

    /** The observer calls a container makes for one batch, {@code rounds} times: {nanos, bytes allocated}. */
    private static long[] containerCallbacks(ContainerObserver observer, ListenerEndpoint endpoint, ChangeBatch batch,
                                             int rounds, com.sun.management.ThreadMXBean threads, long thread) {
        java.util.List<dev.canalboot.model.ChangeEvent> events = batch.events();
        long bytes = threads.getThreadAllocatedBytes(thread);
        long started = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            observer.batchStarted("main", batch.id(), events.size());
            for (int i = 0; i < events.size(); i++) {
                observer.listenerStarting("main", endpoint, events.get(i), null).close(null);
                observer.listenerInvoked("main", endpoint.id(), 1, 1_000);
            }
            observer.batchAcknowledged("main", batch);
            observer.batchCompleted("main", batch.id(), events.size(), 100_000, true);
        }
        long nanos = System.nanoTime() - started;
        return new long[]{nanos, threads.getThreadAllocatedBytes(thread) - bytes};
    }

    /** The source saw the ack; the observers run right after it, so wait for the batch meter too. */
    private void awaitAcknowledged(ChangeBatch batch, long acknowledgedBatches) {
        source.awaitAcked(batch);
        InMemoryChangeSource.await(() -> fixture.meters.get("canal.batches")
                .tags("source", "main", "outcome", "acknowledged").timer().count() == acknowledgedBatches,
                acknowledgedBatches + " acknowledged batches counted");
    }

    private double rows(String table, String type) {
        Counter counter = fixture.meters.find("canal.rows").tags("source", "main", "table", table, "type", type).counter();
        return counter == null ? 0 : counter.count();
    }
}
