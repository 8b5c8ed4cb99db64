package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeType;
import dev.canalboot.source.ChangeSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells every binlog source the table patterns of its row listeners that take snapshot rows: what it snapshots
 * when {@code snapshot.tables} is empty. Read from the listener registry when a snapshot starts, so the order in
 * which the containers are created does not matter.
 */
class SnapshotListenedTables implements SmartInitializingSingleton {

    private final ObjectProvider<ChangeSource> sources;
    private final ObjectProvider<CanalListenerEndpointRegistry> registry;

    SnapshotListenedTables(ObjectProvider<ChangeSource> sources, ObjectProvider<CanalListenerEndpointRegistry> registry) {
        this.sources = sources;
        this.registry = registry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        sources.orderedStream().filter(BinlogChangeSource.class::isInstance).map(BinlogChangeSource.class::cast)
                .forEach(source -> source.listenedTables(() -> patterns(source.name())));
    }

    private List<String> patterns(String source) {
        CanalListenerEndpointRegistry endpoints = registry.getIfAvailable();
        CanalListenerContainer container = endpoints == null ? null : endpoints.getListenerContainer(source);
        if (container == null) {
            return List.of();
        }
        Set<String> patterns = new LinkedHashSet<>();
        for (ListenerEndpoint endpoint : container.getEndpoints()) {
            boolean rows = endpoint.kind() == EndpointInvoker.Kind.ROW || endpoint.kind() == EndpointInvoker.Kind.ROW_BATCH;
            if (rows && endpoint.events().contains(ChangeType.SNAPSHOT)) {
                patterns.addAll(endpoint.tables());
            }
        }
        return List.copyOf(patterns);
    }
}
