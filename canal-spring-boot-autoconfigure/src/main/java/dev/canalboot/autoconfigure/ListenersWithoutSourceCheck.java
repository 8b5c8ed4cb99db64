package dev.canalboot.autoconfigure;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.source.ChangeSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.util.List;

/**
 * Fails start-up when {@code @CanalListener} methods exist but no source is configured: without it the
 * application would start and silently receive nothing. Runs as a lifecycle phase just before the listener
 * containers start, when all listeners are known.
 */
class ListenersWithoutSourceCheck implements SmartLifecycle {

    private final ListableBeanFactory beanFactory;
    private final ObjectProvider<CanalListenerEndpointRegistry> registry;
    private volatile boolean running;

    ListenersWithoutSourceCheck(ListableBeanFactory beanFactory, ObjectProvider<CanalListenerEndpointRegistry> registry) {
        this.beanFactory = beanFactory;
        this.registry = registry;
    }

    @Override
    public void start() {
        CanalListenerEndpointRegistry endpointRegistry = registry.getIfAvailable();
        List<ListenerEndpoint> endpoints = endpointRegistry == null ? List.of() : endpointRegistry.getEndpoints();
        if (!endpoints.isEmpty() && beanFactory.getBeanNamesForType(ChangeSource.class, true, false).length == 0) {
            List<String> listeners = endpoints.stream().map(ListenerEndpoint::listener).toList();
            throw new InvalidCanalConfigurationException("canal.source",
                    "There are @CanalListener listeners " + listeners + " but no source is configured.",
                    "Configure a source: for a binlog source set canal.source.host, canal.source.username and "
                            + "canal.source.password; for a Canal server set canal.source.addresses and "
                            + "canal.source.destination (or several under canal.sources.<name>). Or define a "
                            + "ChangeSource bean, or set canal.enabled=false.");
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Just before the endpoint registry, which starts last. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
