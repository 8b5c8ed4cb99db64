package dev.canalboot.actuate;

import dev.canalboot.ha.Epoch;
import dev.canalboot.ha.SourceLeadership;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.source.SourceStatistics;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.SourcePosition;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /actuator/canal}: every source with its state, position, lag, listeners and counts;
 * {@code POST /actuator/canal/{source}} with {@code {"action": "pause" | "resume" | "restart"}} controls
 * its listener container; {@code {"action": "snapshot", "tables": [...]}} starts a snapshot of a binlog source. Nothing here carries credentials.
 */
@Endpoint(id = "canal")
public class CanalEndpoint {

    /** What {@link #control} can do. */
    public enum Action {
        /** Stop polling after the in-flight batch; the connection stays open. */
        PAUSE,
        /** Poll again after a pause. */
        RESUME,
        /** Stop the container (closing the source) and start it again, e.g. after it failed. */
        RESTART,
        /**
         * Binlog sources: read the rows of {@code tables} (patterns; default: the source's snapshot.tables, else its listeners' tables)
         * while streaming, merged with the stream as SNAPSHOT rows (README, Snapshots).
         */
        SNAPSHOT
    }

    private final SourceMonitors monitors;

    /** A source's high availability in this instance, or null when it has none. */
    private java.util.function.Function<String, SourceLeadership> leaderships = source -> null;

    /** Adds each source's role and leader under high availability. */
    public CanalEndpoint withLeaderships(java.util.function.Function<String, SourceLeadership> leaderships) {
        this.leaderships = leaderships;
        return this;
    }

    public CanalEndpoint(SourceMonitors monitors) {
        this.monitors = monitors;
    }

    @ReadOperation
    public SourcesDescriptor sources() {
        Map<String, SourceDescriptor> sources = new LinkedHashMap<>();
        for (SourceMonitor monitor : monitors.all()) {
            sources.put(monitor.name(), describe(monitor));
        }
        return new SourcesDescriptor(sources);
    }

    /** One source; {@code null} (404) when there is no such source with listeners. */
    @ReadOperation
    public SourceDescriptor source(@Selector String source) {
        SourceMonitor monitor = monitors.get(source);
        return monitor == null ? null : describe(monitor);
    }

    /** {@link #control(String, String, List)} without tables. */
    public SourceDescriptor control(String source, String action) {
        return control(source, action, null);
    }

    /** {@code tables}: for {@code snapshot}, the table patterns to read (default: the source's snapshot.tables, else its listeners' tables). */
    @WriteOperation
    public SourceDescriptor control(@Selector String source, String action,
                                    @org.jspecify.annotations.Nullable List<String> tables) {
        SourceMonitor monitor = monitors.get(source);
        if (monitor == null) {
            throw new InvalidEndpointRequestException("No source '" + source + "' with listeners; sources are "
                    + monitors.names(), "Unknown source");
        }
        CanalListenerContainer container = monitor.container();
        switch (parse(action)) {
            case PAUSE -> container.pause();
            case RESUME -> container.resume();
            case RESTART -> {
                container.stop();
                container.start();
            }
            case SNAPSHOT -> snapshot(monitor, tables);
        }
        return describe(monitor);
    }

    private static void snapshot(SourceMonitor monitor, List<String> tables) {
        if (!(monitor.source() instanceof BinlogChangeSource binlog)) {
            throw new InvalidEndpointRequestException("Source '" + monitor.name() + "' is not a binlog source;"
                    + " only binlog sources snapshot", "Not a binlog source");
        }
        try {
            binlog.snapshot(tables);
        } catch (IllegalStateException | IllegalArgumentException | dev.canalboot.snapshot.SnapshotException e) {
            throw new InvalidEndpointRequestException(e.getMessage(), "Snapshot refused");
        }
    }

    private static Action parse(String action) {
        if (action != null) {
            for (Action candidate : Action.values()) {
                if (candidate.name().equalsIgnoreCase(action.trim())) {
                    return candidate;
                }
            }
        }
        String allowed = List.of(Action.values()).stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList().toString();
        throw new InvalidEndpointRequestException("Unknown action '" + action + "'; use one of " + allowed,
                "Unknown action");
    }

    private SourceDescriptor describe(SourceMonitor monitor) {
        CanalListenerContainer container = monitor.container();
        SourceStatistics statistics = monitor.statistics();
        Duration lag = monitor.lag();
        SourcePosition position = monitor.position();
        Duration disconnectedFor = monitor.disconnectedFor();
        List<ListenerDescriptor> listeners = container.getEndpoints().stream().map(CanalEndpoint::describe).toList();
        return new SourceDescriptor(
                container.getSource().getClass().getSimpleName(),
                Redaction.redact(statistics.server()),
                monitor.sourceState().name(),
                container.getState().name(),
                container.isPaused(),
                position == null || SourcePosition.UNKNOWN.equals(position) ? null
                        : new PositionDescriptor(position.file(), position.offset(), position.gtid()),
                lag == null ? null : lag.toMillis(),
                text(monitor.lastDeliveredCommitTime()),
                text(statistics.lastEventTimestamp()),
                text(statistics.lastHeartbeat()),
                disconnectedFor.isZero() ? null : disconnectedFor.toMillis(),
                new CountsDescriptor(container.getBatchCount(), container.getRowsDelivered(),
                        orNull(statistics.bytesRead()), orNull(statistics.reconnects()),
                        orNull(statistics.eventsSkipped())),
                monitor.lastErrorMessage(),
                statistics.stalled(),
                listeners,
                describeConcurrency(container),
                describeHa(leaderships.apply(monitor.name())),
                monitor.source() instanceof BinlogChangeSource binlog && binlog.snapshotStatus() != null
                        ? binlog.snapshotStatus().describe() : null,
                statistics.details().isEmpty() ? null : statistics.details());
    }

    private static HaDescriptor describeHa(SourceLeadership leadership) {
        if (leadership == null) {
            return null;
        }
        Epoch leader = leadership.getLeader().orElse(null);
        return new HaDescriptor(leadership.getMode().name().toLowerCase(Locale.ROOT),
                leadership.getRole().name().toLowerCase(Locale.ROOT), leadership.getInstanceId(),
                leader == null ? null : leader.holder(), leader == null ? null : leader.value(),
                leadership.getElections(), leadership.getTimeAsLeader().toMillis(), leadership.describeElection());
    }

    private static ConcurrencyDescriptor describeConcurrency(CanalListenerContainer container) {
        ListenerConcurrency concurrency = container.getSettings().concurrency();
        if (concurrency.isSerial()) {
            return new ConcurrencyDescriptor(1, "binlog", 1, container.getRowsInFlight(), List.of());
        }
        return new ConcurrencyDescriptor(concurrency.workers(), concurrency.ordering().name().toLowerCase(Locale.ROOT),
                concurrency.maxInFlight(), container.getRowsInFlight(),
                Arrays.stream(container.getWorkerQueueDepths()).boxed().toList());
    }

    private static ListenerDescriptor describe(ListenerEndpoint endpoint) {
        return new ListenerDescriptor(endpoint.id(), endpoint.listener(),
                endpoint.kind().name().toLowerCase(Locale.ROOT), endpoint.tables(),
                endpoint.events().stream().map(ChangeType::name).toList());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Long orNull(long counter) {
        return counter < 0 ? null : counter;
    }

    public record SourcesDescriptor(Map<String, SourceDescriptor> sources) {
    }

    /**
     * @param type                 the source's class (which kind of source)
     * @param server               {@code host:port}, if the source tells
     * @param lagMillis            see the README, "Observability"; {@code null} before anything was delivered or heard
     * @param lastDeliveredCommit  commit time of the last delivered change
     * @param lastEventRead        commit time of the last event the source read
     * @param lastHeartbeat        when the source last heard from an idle server
     * @param disconnectedForMillis how long the source has been without a connection while running
     * @param lastError            message of the error that stopped the container
     * @param stalled              why the server is taken to have stopped delivering although its database moves
     *                             on; {@code null} when it delivers or the source cannot tell
     * @param concurrency          rows handled at once and the order kept between them
     * @param snapshot             binlog sources: the running or last snapshot's state and, per table, rows
     *                             done, estimated rows, chunks, rows per second and ETA; {@code null} when none ran
     */
    public record SourceDescriptor(String type, String server, String sourceState, String containerState,
                                   boolean paused, PositionDescriptor position, Long lagMillis,
                                   String lastDeliveredCommit, String lastEventRead, String lastHeartbeat,
                                   Long disconnectedForMillis, CountsDescriptor counts, String lastError,
                                   String stalled, List<ListenerDescriptor> listeners, ConcurrencyDescriptor concurrency,
                                   HaDescriptor ha, Map<String, Object> snapshot,
                                   Map<String, Object> details) {
    }

    /**
     * A source's high availability ({@code null} without it).
     *
     * @param mode              {@code jdbc} or {@code zookeeper}
     * @param role              this instance's: {@code leader} or {@code standby}
     * @param instance          this instance's id
     * @param leader            the current (or last) leader's instance id, null when none was ever elected
     * @param epoch             the leader's epoch: the fencing token its checkpoint writes carry
     * @param elections         times this instance became the leader
     * @param timeAsLeaderMillis total time this instance led the source
     * @param election          where the election lives
     */
    public record HaDescriptor(String mode, String role, String instance, String leader, Long epoch, long elections,
                               long timeAsLeaderMillis, String election) {
    }

    /**
     * @param workers      rows handled at once ({@code canal.listener.concurrency})
     * @param ordering     what stays in binlog order: {@code binlog} (everything: one worker), {@code key},
     *                     {@code table} or {@code none}
     * @param maxInFlight  batches dispatched and not acknowledged at most
     * @param rowsInFlight rows dispatched and not done
     * @param queueDepths  rows each worker is handling now (empty with one worker or while stopped); rows waiting
     *                     for their key are in {@code rowsInFlight}
     */
    public record ConcurrencyDescriptor(int workers, String ordering, int maxInFlight, long rowsInFlight,
                                        List<Integer> queueDepths) {
    }

    public record PositionDescriptor(String file, long offset, String gtid) {
    }

    /** Counters the source does not keep are {@code null}. */
    public record CountsDescriptor(long batches, long rowsDelivered, Long bytesRead, Long reconnects,
                                   Long eventsSkipped) {
    }

    public record ListenerDescriptor(String id, String listener, String kind, List<String> tables,
                                     List<String> events) {
    }
}
