package dev.canalboot.actuate;

import dev.canalboot.source.SourceStatistics;
import dev.canalboot.listener.ListenerEndpoint;
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
 * its listener container. Nothing here carries credentials.
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
        RESTART
    }

    private final SourceMonitors monitors;

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

    @WriteOperation
    public SourceDescriptor control(@Selector String source, String action) {
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
        }
        return describe(monitor);
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
                statistics.details().isEmpty() ? null : statistics.details());
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
     */
    public record SourceDescriptor(String type, String server, String sourceState, String containerState,
                                   boolean paused, PositionDescriptor position, Long lagMillis,
                                   String lastDeliveredCommit, String lastEventRead, String lastHeartbeat,
                                   Long disconnectedForMillis, CountsDescriptor counts, String lastError,
                                   String stalled, List<ListenerDescriptor> listeners, ConcurrencyDescriptor concurrency,
                                   Map<String, Object> details) {
    }

    /**
     * @param workers      rows handled at once ({@code canal.listener.concurrency})
     * @param ordering     what stays in binlog order: {@code binlog} (everything: one worker), {@code key},
     *                     {@code table} or {@code none}
     * @param maxInFlight  batches dispatched and not acknowledged at most
     * @param rowsInFlight rows dispatched and not done
     * @param queueDepths  rows queued and not started, per worker (empty with one worker or while stopped)
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
