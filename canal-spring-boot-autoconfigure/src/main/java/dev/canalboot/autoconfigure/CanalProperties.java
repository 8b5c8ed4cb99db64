package dev.canalboot.autoconfigure;

import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.model.ZeroDatePolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of change data capture: the sources, how listeners run, and where checkpoints go.
 */
@ConfigurationProperties(prefix = CanalProperties.PREFIX)
public class CanalProperties {

    public static final String PREFIX = "canal";

    /** Name of the source configured with "canal.source". */
    public static final String DEFAULT_SOURCE_NAME = "default";

    /** Whether change data capture is enabled; false turns sources, listeners and checkpoints off. */
    private boolean enabled = true;

    /**
     * Whether start-up fails when a source cannot start for a reason retrying cannot fix (login refused, a
     * privilege or a server setting missing, an unknown Canal destination). False: the application starts and
     * the source stays FAILED (health DOWN). A server that cannot be reached is retried in the background either way.
     */
    private boolean failFast = true;

    /**
     * A single source, named "default". The shorthand for applications that read from one server; use
     * "canal.sources" for several.
     */
    @NestedConfigurationProperty
    private SourceProperties source;

    /**
     * Named sources; each entry has the same keys as "canal.source". Listeners pick one with
     * {@code @CanalListener(source = "name")}.
     */
    private Map<String, SourceProperties> sources = new LinkedHashMap<>();

    /** How listeners are invoked. */
    private final Listener listener = new Listener();

    /** Where binlog sources store the position they resume from. */
    private final Checkpoint checkpoint = new Checkpoint();

    /**
     * What a zero date (0000-00-00, or a date with a zero month or day) becomes: "null" (the value is null)
     * or "error" (decoding fails, naming the column).
     */
    private ZeroDatePolicy zeroDates = ZeroDatePolicy.NULL;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isFailFast() {
        return failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public SourceProperties getSource() {
        return source;
    }

    public void setSource(SourceProperties source) {
        this.source = source;
    }

    public Map<String, SourceProperties> getSources() {
        return sources;
    }

    public void setSources(Map<String, SourceProperties> sources) {
        this.sources = sources;
    }

    public Listener getListener() {
        return listener;
    }

    public Checkpoint getCheckpoint() {
        return checkpoint;
    }

    public ZeroDatePolicy getZeroDates() {
        return zeroDates;
    }

    public void setZeroDates(ZeroDatePolicy zeroDates) {
        this.zeroDates = zeroDates;
    }

    /**
     * Every configured source by name: "canal.source" as "default", then "canal.sources" in declaration
     * order.
     *
     * @throws InvalidCanalConfigurationException when "canal.sources" also names one "default"
     */
    public Map<String, SourceProperties> allSources() {
        Map<String, SourceProperties> all = new LinkedHashMap<>();
        if (source != null) {
            all.put(DEFAULT_SOURCE_NAME, source);
        }
        sources.forEach((name, properties) -> {
            if (all.containsKey(name)) {
                throw new InvalidCanalConfigurationException("canal.sources." + name,
                        "Source '" + name + "' is configured both as canal.source and as canal.sources." + name + ".",
                        "Keep one of them: canal.source is the shorthand for a single source named '"
                                + DEFAULT_SOURCE_NAME + "'.");
            }
            all.put(name, properties);
        });
        return all;
    }

    /** What happens when a listener keeps failing. */
    public enum ErrorHandling {
        /** Roll the batch back and stop the source's listener container (health DOWN). */
        STOP,
        /** Log the failure at WARN and carry on with the next change. */
        SKIP,
        /** Hand the failure to the application's DeadLetterHandler bean, then carry on. */
        DEAD_LETTER
    }

    /** Where listeners run. */
    public enum ExecutorKind {
        /** On the listener container's own thread, one per source. */
        CALLER,
        /** On a new virtual thread per batch (Java 21 or later). */
        VIRTUAL_THREADS
    }

    /** Where checkpoints are stored. */
    public enum StoreKind {
        /** One small file per source in checkpoint.file.directory. */
        FILE,
        /** One row per source in a table of the application's DataSource. */
        JDBC,
        /**
         * One node per source in the ZooKeeper ensemble of canal.ha.zookeeper.* (or the application's
         * CuratorFramework bean): ROOT/source/checkpoint.
         */
        ZOOKEEPER,
        /** No checkpoints: every start begins at the source's configured start position. */
        NONE
    }

    public static class Listener {

        /** Retries of a failed listener invocation. */
        private final ListenerRetry retry = new ListenerRetry();

        /**
         * Retries of a failed poll of the source (a connection lost beyond the source's own reconnects)
         * before the container fails; "max-attempts" counts the polls.
         */
        private final Retry sourceRetry = new Retry();

        /**
         * What happens when a listener failed on every retry: "stop" (roll back and stop the source's
         * container), "skip" (log and carry on) or "dead-letter" (hand it to the DeadLetterHandler bean and
         * carry on).
         */
        private ErrorHandling errorHandler = ErrorHandling.STOP;

        /**
         * Where listeners run: "caller" (the container's thread) or "virtual-threads". A TaskExecutor bean
         * named "canalListenerExecutor" replaces either.
         */
        private ExecutorKind executor = ExecutorKind.CALLER;

        /** How long stopping a container lets the batch in flight finish before rolling it back. */
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        /**
         * Rows of one source handled at once. 1 handles one batch at a time, every event in binlog order; more
         * dispatches rows to that many workers, keeping the order set by "ordering".
         */
        private int concurrency = 1;

        /**
         * With concurrency above 1, what stays in binlog order: "key" (rows of one table with the same primary
         * key), "table" (rows of one table) or "none".
         */
        private Ordering ordering = Ordering.KEY;

        /** With concurrency above 1, batches dispatched and not yet acknowledged at most. */
        private int maxInFlight = ListenerConcurrency.SERIAL.maxInFlight();

        public ListenerRetry getRetry() {
            return retry;
        }

        public Retry getSourceRetry() {
            return sourceRetry;
        }

        public ErrorHandling getErrorHandler() {
            return errorHandler;
        }

        public void setErrorHandler(ErrorHandling errorHandler) {
            this.errorHandler = errorHandler;
        }

        public ExecutorKind getExecutor() {
            return executor;
        }

        public void setExecutor(ExecutorKind executor) {
            this.executor = executor;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public Ordering getOrdering() {
            return ordering;
        }

        public void setOrdering(Ordering ordering) {
            this.ordering = ordering;
        }

        public int getMaxInFlight() {
            return maxInFlight;
        }

        public void setMaxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    public static class Retry {

        /** Attempts, the first included; 1 means no retry. */
        private int maxAttempts = 3;

        /** Wait after the first failed attempt. */
        private Duration initialInterval = Duration.ofMillis(200);

        /** Factor applied to the wait after each further failed attempt. */
        private double multiplier = 2.0;

        /** Cap of the wait between attempts. */
        private Duration maxInterval = Duration.ofSeconds(10);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialInterval() {
            return initialInterval;
        }

        public void setInitialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxInterval() {
            return maxInterval;
        }

        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }
    }

    public static class ListenerRetry extends Retry {

        /**
         * Exception types (fully qualified class names) not worth retrying: a listener that throws one of
         * them, or an exception caused by one, goes straight to the error handler after its first attempt.
         */
        private List<Class<? extends Throwable>> notRetryable = new ArrayList<>();

        public List<Class<? extends Throwable>> getNotRetryable() {
            return notRetryable;
        }

        public void setNotRetryable(List<Class<? extends Throwable>> notRetryable) {
            this.notRetryable = notRetryable;
        }
    }

    public static class Checkpoint {

        /**
         * Checkpoint store: "file" (default), "jdbc" (the application's DataSource), "zookeeper" (the ensemble of
         * canal.ha.zookeeper.*) or "none". A CheckpointStore bean replaces it.
         */
        private StoreKind store = StoreKind.FILE;

        /** File store settings. */
        private final File file = new File();

        /** JDBC store settings. */
        private final Jdbc jdbc = new Jdbc();

        /**
         * Least time between two checkpoint saves of one source; 0 saves at every acknowledged transaction
         * end. Larger values save fewer times at the cost of more changes delivered again after a crash.
         */
        private Duration commitInterval = Duration.ZERO;

        public StoreKind getStore() {
            return store;
        }

        public void setStore(StoreKind store) {
            this.store = store;
        }

        public File getFile() {
            return file;
        }

        public Jdbc getJdbc() {
            return jdbc;
        }

        public Duration getCommitInterval() {
            return commitInterval;
        }

        public void setCommitInterval(Duration commitInterval) {
            this.commitInterval = commitInterval;
        }

        public static class File {

            /** Directory of the checkpoint files, created if missing. */
            private Path directory = Path.of("canal-checkpoints");

            public Path getDirectory() {
                return directory;
            }

            public void setDirectory(Path directory) {
                this.directory = directory;
            }
        }

        public static class Jdbc {

            /** Table of the checkpoints, created if missing; optionally schema-qualified. */
            private String table = "canal_checkpoint";

            public String getTable() {
                return table;
            }

            public void setTable(String table) {
                this.table = table;
            }
        }
    }
}
