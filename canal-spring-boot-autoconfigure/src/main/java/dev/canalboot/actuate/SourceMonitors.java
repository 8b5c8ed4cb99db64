package dev.canalboot.actuate;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.source.ChangeSource;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One {@link SourceMonitor} per listener container, made on first use (containers exist only once all
 * singletons are created). As a {@link ContainerObserver} it feeds each monitor's lag from acknowledged
 * batches.
 */
public class SourceMonitors implements ContainerObserver {

    private final Supplier<CanalListenerEndpointRegistry> registry;
    private final Clock clock;
    private final ConcurrentMap<String, SourceMonitor> monitors = new ConcurrentHashMap<>();

    /**
     * @param registry the listener registry, looked up lazily ({@code null} from it: no containers); each source's
     *                 counters come from its {@link ChangeSource#statistics()}, the one statistics seam
     */
    public SourceMonitors(Supplier<CanalListenerEndpointRegistry> registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Monitors of all containers, in source order. */
    public List<SourceMonitor> all() {
        CanalListenerEndpointRegistry listeners = registry.get();
        if (listeners == null) {
            return List.of();
        }
        List<SourceMonitor> result = new ArrayList<>();
        for (CanalListenerContainer container : listeners.getListenerContainers()) {
            result.add(monitors.computeIfAbsent(container.getSourceName(), name -> create(container)));
        }
        return result;
    }

    /** The monitor of the named source, or {@code null} when it has no listener container. */
    public @Nullable SourceMonitor get(String sourceName) {
        SourceMonitor monitor = monitors.get(sourceName);
        if (monitor != null) {
            return monitor;
        }
        CanalListenerEndpointRegistry listeners = registry.get();
        CanalListenerContainer container = listeners == null ? null : listeners.getListenerContainer(sourceName);
        return container == null ? null : monitors.computeIfAbsent(sourceName, name -> create(container));
    }

    /** Names of the sources with a listener container. */
    public List<String> names() {
        return all().stream().map(SourceMonitor::name).toList();
    }

    public Clock clock() {
        return clock;
    }

    private SourceMonitor create(CanalListenerContainer container) {
        return new SourceMonitor(container, container.getSource().statistics(), clock);
    }

    @Override
    public void batchAcknowledged(String source, ChangeBatch batch) {
        SourceMonitor monitor = get(source);
        if (monitor == null) {
            return;
        }
        List<ChangeEvent> events = batch.events();
        if (events.isEmpty()) {
            monitor.lagTracker().caughtUp(clock.millis());
        } else {
            Instant committed = events.get(events.size() - 1).timestamp();
            if (committed != null) {
                monitor.lagTracker().delivered(committed.toEpochMilli());
            }
        }
        monitor.lagMillis(); // records a heartbeat that now counts, even if nobody reads the lag for a while
    }
}
