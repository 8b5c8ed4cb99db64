package dev.canalboot.autoconfigure;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.source.SourceException;
import org.springframework.context.SmartLifecycle;

/**
 * With {@code canal.fail-fast} (the default): fails the context's start when a source's start failed for a
 * reason retrying cannot fix. It depends on the registry, so the context starts the containers first; a
 * container's start returns once its source's start did.
 */
class SourceStartupCheck implements SmartLifecycle {

    private final CanalListenerEndpointRegistry registry;
    private final CanalProperties properties;
    private volatile boolean running;

    SourceStartupCheck(CanalListenerEndpointRegistry registry, CanalProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = true;
        for (CanalListenerContainer container : registry.getListenerContainers()) {
            if (container.getState() == ContainerState.FAILED
                    && container.getLastError() instanceof SourceException error && !error.isRetryable()) {
                String name = container.getSourceName();
                String prefix = properties.allSources().containsKey(name)
                        ? ConfiguredSourcesRegistrar.prefixOf(properties, name) : null;
                throw new SourceStartException(name, prefix, error);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return registry.getPhase(); // the same phase: the dependency on the registry orders the two
    }
}
