package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.List;

/**
 * Runs once the listener containers started (it depends on the registry, so the context starts them first; a
 * container's start returns once its source's start did): with {@code canal.fail-fast} (the default) fails the
 * context's start when a source's start failed for a reason retrying cannot fix, and warns of a listener table
 * pattern that matches no table of a started binlog source's server (a typo would otherwise wait silently).
 */
class SourceStartupCheck implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SourceStartupCheck.class);

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
                if (properties.isFailFast()) {
                    String name = container.getSourceName();
                    String prefix = properties.allSources().containsKey(name)
                            ? ConfiguredSourcesRegistrar.prefixOf(properties, name) : null;
                    throw new SourceStartException(name, prefix, error);
                }
                continue;
            }
            // Connecting (the start returned: the stream begins) or connected; not while its server is unreachable.
            if (container.getSource() instanceof BinlogChangeSource binlog
                    && (binlog.state() == SourceState.CONNECTED || binlog.state() == SourceState.CONNECTING)) {
                warnOfPatternsMatchingNothing(binlog, container.getEndpoints());
            }
        }
    }

    private static void warnOfPatternsMatchingNothing(BinlogChangeSource source, List<ListenerEndpoint> endpoints) {
        List<String> tables;
        try {
            tables = source.existingTables();
        } catch (RuntimeException e) {
            log.debug("Source '{}': could not list the server's tables to check listener patterns", source.name(), e);
            return;
        }
        for (ListenerEndpoint endpoint : endpoints) {
            for (String text : endpoint.tables()) {
                TablePattern pattern = TablePattern.parse(text);
                boolean matches = tables.stream().anyMatch(t -> {
                    int dot = t.indexOf('.');
                    return pattern.matches(t.substring(0, dot), t.substring(dot + 1));
                });
                if (!matches) {
                    log.warn("Listener '{}' of source '{}': table pattern '{}' matches no table of {} now;"
                                    + " it receives nothing until such a table exists (a typo?)", endpoint.id(),
                            source.name(), text, source.settings().connection().address());
                }
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
