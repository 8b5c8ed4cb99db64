package dev.canalboot.listener;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerSettingsCustomizer;
import dev.canalboot.source.ChangeSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the listener endpoints and one {@link CanalListenerContainer} per {@link ChangeSource} that has
 * listeners; starts and stops them with the application context (last to start, first to stop).
 */
public class CanalListenerEndpointRegistry implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CanalListenerEndpointRegistry.class);

    private final Map<String, CanalListenerContainer> containers = new LinkedHashMap<>();
    private List<ListenerEndpoint> endpoints = List.of();
    private ContainerSettings settings = ContainerSettings.defaults();
    private volatile boolean running;

    /**
     * Routes each endpoint to its source and creates the containers. An endpoint without {@code source}
     * goes to the only source; naming an unknown source, or leaving it empty with several sources, is a
     * {@link ListenerDeclarationException}. A source without listeners gets no container (it is not
     * started, so nothing is acknowledged unseen).
     */
    public synchronized void createContainers(List<ListenerEndpoint> endpoints, Collection<ChangeSource> sources,
                                              ContainerSettings settings) {
        createContainers(endpoints, sources, settings, (source, shared) -> shared);
    }

    /**
     * As {@link #createContainers(List, Collection, ContainerSettings)}, with the settings of each source's
     * container adapted by {@code perSource}.
     */
    public synchronized void createContainers(List<ListenerEndpoint> endpoints, Collection<ChangeSource> sources,
                                              ContainerSettings settings, ContainerSettingsCustomizer perSource) {
        if (!containers.isEmpty()) {
            throw new IllegalStateException("Listener containers were already created");
        }
        Map<String, ListenerEndpoint> byId = new HashMap<>();
        for (ListenerEndpoint endpoint : endpoints) {
            ListenerEndpoint other = byId.putIfAbsent(endpoint.id(), endpoint);
            if (other != null) {
                throw new ListenerDeclarationException(endpoint.listener(), "endpoint id '" + endpoint.id()
                        + "' is already used by " + other.listener());
            }
        }
        Map<String, ChangeSource> sourcesByName = new LinkedHashMap<>();
        for (ChangeSource source : sources) {
            ChangeSource other = sourcesByName.putIfAbsent(source.name(), source);
            if (other != null) {
                throw new IllegalStateException("Two ChangeSource beans are both named '" + source.name() + "'");
            }
        }
        Map<String, List<ListenerEndpoint>> routed = new LinkedHashMap<>();
        sourcesByName.keySet().forEach(name -> routed.put(name, new ArrayList<>()));
        for (ListenerEndpoint endpoint : endpoints) {
            String name = endpoint.source();
            if (name.isEmpty()) {
                if (sourcesByName.isEmpty()) {
                    log.warn("@CanalListener {} will receive nothing: there is no ChangeSource bean", endpoint.listener());
                    continue;
                }
                if (sourcesByName.size() > 1) {
                    throw new ListenerDeclarationException(endpoint.listener(), "names no source but there are "
                            + sourcesByName.size() + " sources " + sourcesByName.keySet() + "; set source = \"...\"");
                }
                name = sourcesByName.keySet().iterator().next();
            } else if (!sourcesByName.containsKey(name)) {
                throw new ListenerDeclarationException(endpoint.listener(), "source '" + name
                        + "' is unknown; configured sources are " + sourcesByName.keySet());
            }
            routed.get(name).add(endpoint);
        }
        routed.forEach((name, list) -> {
            if (list.isEmpty()) {
                log.warn("Source '{}' has no @CanalListener; it is not started", name);
            } else {
                containers.put(name, new CanalListenerContainer(sourcesByName.get(name), list,
                        perSource.customize(name, settings)));
            }
        });
        this.endpoints = List.copyOf(endpoints);
        this.settings = settings;
    }

    /** The containers, one per source with listeners, in source bean order. */
    public synchronized List<CanalListenerContainer> getListenerContainers() {
        return List.copyOf(containers.values());
    }

    /** The container of the named source, or {@code null}. */
    public synchronized @Nullable CanalListenerContainer getListenerContainer(String sourceName) {
        return containers.get(sourceName);
    }

    public synchronized List<ListenerEndpoint> getEndpoints() {
        return endpoints;
    }

    @Override
    public void start() {
        // A container whose own settings say no auto-startup waits for its own start(), unless the
        // registry as a whole is not auto-started either (then this start() is the user's).
        getListenerContainers().stream().filter(c -> c.isAutoStartup() || !settings.autoStartup())
                .forEach(CanalListenerContainer::start);
        running = true;
    }

    @Override
    public void stop() {
        getListenerContainers().forEach(CanalListenerContainer::stop);
        running = false;
    }

    /** Stops all containers in parallel; {@code callback} runs once all have stopped. */
    @Override
    public void stop(Runnable callback) {
        List<CanalListenerContainer> list = getListenerContainers();
        running = false;
        if (list.isEmpty()) {
            callback.run();
            return;
        }
        AtomicInteger remaining = new AtomicInteger(list.size());
        for (CanalListenerContainer container : list) {
            container.stop(() -> {
                if (remaining.decrementAndGet() == 0) {
                    callback.run();
                }
            });
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return settings.autoStartup();
    }

    @Override
    public void destroy() {
        for (CanalListenerContainer container : getListenerContainers()) {
            if (container.isRunning()) {
                container.stop();
            }
        }
    }
}
