package dev.canalboot.ha;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.CanalListenerContainer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the elections of the sources under high availability once the listener containers exist (their
 * containers do not start with the context: each starts when its instance is elected), and on shutdown stops
 * the containers it leads before it leaves the elections, so that a standby takes over at once.
 */
public final class HaCoordinator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HaCoordinator.class);

    private final CanalListenerEndpointRegistry registry;
    private final Map<String, HaMode> modes;
    private final String instanceId;
    private final Map<HaMode, HaEngine> engines;
    private final LeaderFencedCheckpointStore store;
    private final Map<String, SourceLeadership> leaderships = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile boolean running;

    /**
     * @param modes   the sources under high availability and their modes
     * @param engines an engine for every mode in {@code modes}
     * @param store   the fenced checkpoint store binlog sources write through, or null when there is none
     */
    public HaCoordinator(CanalListenerEndpointRegistry registry, Map<String, HaMode> modes, String instanceId,
                         Map<HaMode, ? extends HaEngine> engines, LeaderFencedCheckpointStore store) {
        this.registry = registry;
        this.modes = Map.copyOf(modes);
        this.instanceId = instanceId;
        this.engines = Map.copyOf(engines);
        this.store = store;
        if (store != null) {
            store.onRefused((source, error) -> {
                SourceLeadership leadership = leaderships.get(source);
                if (leadership != null) {
                    leadership.refused(error);
                }
            });
        }
    }

    /** A lookup of sources' leaderships for the actuator: null for a source without high availability. */
    public static java.util.function.Function<String, @Nullable SourceLeadership> lookup(
            java.util.function.Supplier<HaCoordinator> coordinator) {
        return source -> {
            HaCoordinator c = coordinator.get();
            return c == null ? null : c.getLeaderships().get(source);
        };
    }

    public String getInstanceId() {
        return instanceId;
    }

    /** The sources under high availability that have listeners, by name. */
    public Map<String, SourceLeadership> getLeaderships() {
        synchronized (leaderships) {
            return Map.copyOf(leaderships);
        }
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        running = true;
        modes.forEach((source, mode) -> {
            CanalListenerContainer container = registry.getListenerContainer(source);
            if (container == null) {
                log.info("Source '{}' has ha.mode {} but no listener: it takes part in no election", source,
                        mode.name().toLowerCase());
                return;
            }
            HaEngine engine = engines.get(mode);
            SourceLeadership leadership = new SourceLeadership(source, instanceId, mode, container, engine.epochs(),
                    store);
            leaderships.put(source, leadership);
            leadership.start(engine.election(source, instanceId, leadership.listener()));
        });
    }

    @Override
    public void stop() {
        running = false;
        List<SourceLeadership> all;
        synchronized (leaderships) {
            all = new ArrayList<>(leaderships.values());
        }
        all.parallelStream().forEach(SourceLeadership::stop);
        engines.values().forEach(HaEngine::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return registry.getPhase(); // the same phase; the dependency on the registry starts it first
    }
}
