package dev.canalboot.actuate;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.SourceState;
import dev.canalboot.source.SourceStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of every source, fed by the listener containers (see the README, "Observability", for the
 * list). Meters are registered once per source, table and change type and kept, so the hot path only
 * reads maps keyed by strings the change already holds and increments: no allocation per row.
 */
public class CanalMetrics implements ContainerObserver {

    static final String TAG_SOURCE = "source";
    static final String TAG_TABLE = "table";
    static final String TAG_TYPE = "type";
    static final String TAG_LISTENER = "listener";

    private final MeterRegistry registry;
    private final SourceMonitors monitors;
    private final int maxTables;
    private final ConcurrentMap<String, SourceMeters> sources = new ConcurrentHashMap<>();

    /**
     * @param maxTables tables per source tagged by name; further tables are tagged {@code table=other}
     */
    public CanalMetrics(MeterRegistry registry, SourceMonitors monitors, int maxTables) {
        this.registry = registry;
        this.monitors = monitors;
        this.maxTables = maxTables;
    }

    /** Registers the meters of every source that has a listener container (done lazily otherwise). */
    public void bindAll() {
        for (SourceMonitor monitor : monitors.all()) {
            meters(monitor.name());
        }
    }

    // ---------------------------------------------------------------- observer (container threads)

    @Override
    public void batchAcknowledged(String source, ChangeBatch batch) {
        SourceMeters meters = meters(source);
        if (meters == null) {
            return;
        }
        List<ChangeEvent> events = batch.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RowChange row) {
                meters.tables.get(row.schema(), row.table()).counter(row.type()).increment();
            }
        }
    }

    @Override
    public void batchCompleted(String source, long batchId, int size, long durationNanos, boolean acknowledged) {
        SourceMeters meters = meters(source);
        if (meters == null) {
            return;
        }
        (acknowledged ? meters.batchesAcknowledged : meters.batchesRolledBack).record(durationNanos, TimeUnit.NANOSECONDS);
        meters.batchSize.record(size);
    }

    @Override
    public void listenerInvoked(String source, String endpointId, int events, long durationNanos) {
        ListenerMeters listener = listener(source, endpointId);
        if (listener != null) {
            listener.success.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
        ListenerMeters listener = listener(source, endpointId);
        if (listener != null) {
            // Rare path: the exception tag is resolved per failure.
            Counter.builder("canal.listener.errors")
                    .description("Listener calls that threw, by exception class")
                    .tags(listener.tags).tag("exception", exceptionTag(error))
                    .register(registry).increment();
        }
    }

    @Override
    public void retryScheduled(String source, String endpointId, int nextAttempt, long delayMillis) {
        ListenerMeters listener = listener(source, endpointId);
        if (listener != null) {
            listener.retries.increment();
        }
    }

    @Override
    public void rowsWaited(String source, int rows, long waitNanos) {
        SourceMeters meters = meters(source);
        if (meters != null && meters.keyWait != null) {
            meters.keyWait.record(waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void containerFailed(String source, Throwable error) {
        SourceMeters meters = meters(source);
        if (meters != null) {
            meters.containerFailures.increment();
        }
    }

    @Override
    public void stateChanged(String source, ContainerState from, ContainerState to) {
        meters(source); // registers the gauges as the container starts
    }

    // ---------------------------------------------------------------- meters

    private ListenerMeters listener(String source, String endpointId) {
        SourceMeters meters = meters(source);
        return meters == null ? null : meters.listeners.get(endpointId);
    }

    private SourceMeters meters(String source) {
        SourceMeters meters = sources.get(source);
        if (meters != null) {
            return meters;
        }
        SourceMonitor monitor = monitors.get(source);
        return monitor == null ? null : sources.computeIfAbsent(source, name -> new SourceMeters(monitor));
    }

    private final class SourceMeters {

        final Tags tags;
        final Timer batchesAcknowledged;
        final Timer batchesRolledBack;
        final DistributionSummary batchSize;
        final Counter containerFailures;
        /** Only with concurrency > 1. */
        final Timer keyWait;
        final BoundedTableCache<TableMeters> tables;
        /** Fixed at start-up: the container's endpoints. */
        final Map<String, ListenerMeters> listeners;

        SourceMeters(SourceMonitor monitor) {
            this.tags = Tags.of(TAG_SOURCE, monitor.name());
            this.batchesAcknowledged = batchTimer("acknowledged");
            this.batchesRolledBack = batchTimer("rolled_back");
            this.batchSize = DistributionSummary.builder("canal.batch.size")
                    .description("Events per dispatched batch").baseUnit("events").tags(tags).register(registry);
            this.containerFailures = Counter.builder("canal.container.failures")
                    .description("Times the listener container stopped on an error").tags(tags).register(registry);
            this.tables = new BoundedTableCache<>(maxTables, table -> new TableMeters(tags.and(TAG_TABLE, table)));
            Map<String, ListenerMeters> byId = new HashMap<>();
            for (ListenerEndpoint endpoint : monitor.container().getEndpoints()) {
                byId.put(endpoint.id(), new ListenerMeters(tags.and(TAG_LISTENER, endpoint.id())));
            }
            this.listeners = Map.copyOf(byId);

            TimeGauge.builder("canal.lag", monitor, TimeUnit.MILLISECONDS, CanalMetrics::lagOrNaN)
                    .description("Now minus the commit time of the last delivered change; near zero for an idle "
                            + "source with heartbeats")
                    .tags(tags).register(registry);
            for (SourceState state : SourceState.values()) {
                Gauge.builder("canal.source.state", monitor, m -> m.sourceState() == state ? 1 : 0)
                        .description("1 for the source's current connection state, else 0")
                        .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
            }
            for (ContainerState state : ContainerState.values()) {
                Gauge.builder("canal.container.state", monitor, m -> m.containerState() == state ? 1 : 0)
                        .description("1 for the listener container's current state, else 0")
                        .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
            }
            CanalListenerContainer container = monitor.container();
            Gauge.builder("canal.listener.rows.in.flight", container, CanalListenerContainer::getRowsInFlight)
                    .description("Rows dispatched to listeners and not yet done").baseUnit("rows")
                    .tags(tags).register(registry);
            int workers = container.getSettings().concurrency().workers();
            if (workers > 1) {
                this.keyWait = Timer.builder("canal.listener.key.wait")
                        .description("Time rows waited from their dispatch until they started, behind earlier rows "
                                + "of their keys or for a free worker (one sample per key's rows of a batch)")
                        .tags(tags).register(registry);
                for (int i = 0; i < workers; i++) {
                    int worker = i;
                    Gauge.builder("canal.listener.worker.queue", container, c -> queueDepth(c, worker))
                            .description("Rows the worker is handling now").baseUnit("rows")
                            .tags(tags).tag("worker", Integer.toString(worker)).register(registry);
                }
            } else {
                this.keyWait = null;
            }
            SourceStatistics statistics = monitor.statistics();
            sourceCounter("canal.source.bytes.read", "Bytes read from the server", "bytes",
                    statistics, SourceStatistics::bytesRead);
            sourceCounter("canal.source.reconnects", "Reconnections after a lost connection", null,
                    statistics, SourceStatistics::reconnects);
            sourceCounter("canal.source.events.skipped", "Events read but not emitted", "events",
                    statistics, SourceStatistics::eventsSkipped);
        }

        private Timer batchTimer(String outcome) {
            return Timer.builder("canal.batches")
                    .description("Batches dispatched to listeners, and their dispatch-to-acknowledge time")
                    .tags(tags).tag("outcome", outcome).register(registry);
        }

        /** Only counters the source keeps: -1 means it does not count this. */
        private void sourceCounter(String name, String description, String unit, SourceStatistics statistics,
                                   ToLongFunction<SourceStatistics> value) {
            if (value.applyAsLong(statistics) < 0) {
                return;
            }
            FunctionCounter.builder(name, statistics, s -> Math.max(0, value.applyAsLong(s)))
                    .description(description).baseUnit(unit).tags(tags).register(registry);
        }
    }

    private static double queueDepth(CanalListenerContainer container, int worker) {
        int[] depths = container.getWorkerQueueDepths();
        return worker < depths.length ? depths[worker] : 0;
    }

    /** Simple class name; anonymous and lambda classes have none, so their full name is used. */
    private static String exceptionTag(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    private static double lagOrNaN(SourceMonitor monitor) {
        long lag = monitor.lagMillis();
        return lag == LagTracker.UNKNOWN ? Double.NaN : lag;
    }

    private final class TableMeters {

        private final Counter[] byType = new Counter[ChangeType.values().length];

        TableMeters(Tags tags) {
            for (ChangeType type : ChangeType.values()) {
                byType[type.ordinal()] = Counter.builder("canal.rows")
                        .description("Row changes in acknowledged batches, by table and change type")
                        .baseUnit("rows").tags(tags).tag(TAG_TYPE, type.name().toLowerCase(Locale.ROOT))
                        .register(registry);
            }
        }

        Counter counter(ChangeType type) {
            return byType[type.ordinal()];
        }
    }

    private final class ListenerMeters {

        final Tags tags;
        final Timer success;
        final Counter retries;

        ListenerMeters(Tags tags) {
            this.tags = tags;
            this.success = Timer.builder("canal.listener.invocations")
                    .description("Listener calls that returned normally, and their duration")
                    .tags(tags).register(registry);
            this.retries = Counter.builder("canal.listener.retries")
                    .description("Failed listener calls scheduled to be tried again").tags(tags).register(registry);
        }
    }
}
