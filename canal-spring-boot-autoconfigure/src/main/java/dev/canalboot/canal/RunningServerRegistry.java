package dev.canalboot.canal;

import dev.canalboot.source.SourceException;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * Where the Canal server that runs a source's destination is, as a registry tells it, and when that changes. A
 * source with one reads its address from it instead of from its {@code addresses} (see
 * {@link CanalSettings#zooKeeper()}).
 */
interface RunningServerRegistry extends AutoCloseable {

    /** The class whose presence tells that Curator's recipes are on the class path. */
    String CURATOR_CACHE = "org.apache.curator.framework.recipes.cache.CuratorCache";

    /**
     * Canal's own ZooKeeper registry at {@link CanalSettings#zooKeeper()}.
     *
     * @throws SourceException (not retryable) when Apache Curator's recipes are not on the class path
     */
    static RunningServerRegistry zooKeeper(CanalSettings settings) {
        try {
            Class.forName(CURATOR_CACHE, false, RunningServerRegistry.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SourceException("Canal source '" + settings.name() + "' finds its server in ZooKeeper ("
                    + settings.zooKeeper() + "), which needs Apache Curator: add the dependency"
                    + " org.apache.curator:curator-recipes, or give the source addresses instead", e, false);
        }
        return new ZooKeeperServerRegistry(settings);
    }

    /**
     * Starts watching. {@code onChange} runs (on the registry's thread) whenever {@link #running()} may have changed.
     */
    void start(Runnable onChange);

    /** Waits up to {@code timeout} for the registry's first answer; false when it did not come (not reachable). */
    boolean awaitFirstView(Duration timeout) throws InterruptedException;

    /** The server that runs the destination now, or {@code null} while none does (or the registry is not read yet). */
    CanalSettings.@Nullable HostAndPort running();

    /** Why {@link #running()} is {@code null}, for the error the source reconnects with. */
    String whyNoneRuns();

    /** The registry and where in it the destination's server is, for logs and health. */
    String describe();

    @Override
    void close();
}
