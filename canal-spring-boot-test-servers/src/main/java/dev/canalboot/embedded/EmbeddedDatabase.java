package dev.canalboot.embedded;

import org.jspecify.annotations.Nullable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running embedded MySQL-family server on 127.0.0.1 with a random port and a throw-away data
 * directory. {@link #close()} kills the server and deletes its files; servers still running when the
 * JVM exits are closed by a shutdown hook.
 */
public abstract sealed class EmbeddedDatabase implements AutoCloseable permits EmbeddedMySql, EmbeddedMariaDb {

    /** Password of every account the launchers create; these servers are for tests and demos only. */
    static final String ROOT_PASSWORD = "root-pw";

    /** What the non-root accounts may do: replicate, read, and create/change schemas and tables for tests. */
    static final String USER_GRANTS = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES, "
            + "CREATE VIEW, SHOW VIEW, SHOW DATABASES, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT";

    private static final Set<EmbeddedDatabase> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::closeAllRunning, "canalboot-embedded-db-stop"));
    }

    private final String product;
    private volatile InstanceLauncher.Started started;
    private final long serverId;
    private final List<DatabaseUser> users;
    private volatile boolean closed;

    EmbeddedDatabase(String product, InstanceLauncher.Started started, long serverId, List<DatabaseUser> users) {
        this.product = product;
        this.started = started;
        this.serverId = serverId;
        this.users = List.copyOf(users);
        RUNNING.add(this);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return started.instance().port();
    }

    public long serverId() {
        return serverId;
    }

    /**
     * A MySQL Connector/J URL for {@code database} (null or empty: no default database). The driver is
     * not a dependency of this library; whoever connects brings it.
     */
    public String jdbcUrl(@Nullable String database) {
        return "jdbc:mysql://" + host() + ":" + port() + "/" + (database == null ? "" : database)
                + "?allowPublicKeyRetrieval=true";
    }

    public String rootUser() {
        return "root";
    }

    public String rootPassword() {
        return ROOT_PASSWORD;
    }

    /** Every non-root account created at initialization, each with replication and DDL/DML rights. */
    public List<DatabaseUser> users() {
        return users;
    }

    /**
     * An account using {@code mysql_native_password}; MySQL 8.4 and later have none (the plugin is off by
     * default in 8.4 and gone in 9.0), and this throws {@link IllegalStateException}.
     */
    public DatabaseUser nativePasswordUser() {
        return user("mysql_native_password");
    }

    DatabaseUser user(String authPlugin) {
        return users.stream().filter(user -> user.authPlugin().equals(authPlugin)).findFirst()
                .orElseThrow(() -> new IllegalStateException(product + " has no " + authPlugin + " account"));
    }

    public Path dataDirectory() {
        return started.instance().dataDirectory();
    }

    /** The server's stdout and stderr (error log). */
    public Path logFile() {
        return started.logFile();
    }

    /** The server's operating-system process id (for tests that stop it with signals). */
    public long pid() {
        return started.process().pid();
    }

    public boolean isRunning() {
        return !closed && started.process().isAlive();
    }

    /**
     * Runs statements as root over JDBC, in order, stopping at the first failure. Needs a MySQL JDBC
     * driver (Connector/J) on the class path, like {@link #jdbcUrl(String)}.
     */
    public void execute(String... statements) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(null), rootUser(), rootPassword());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new EmbeddedDatabaseException(this + " rejected \"" + sql + "\": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("Could not connect to " + this + " as root: " + e.getMessage(), e);
        }
    }

    /**
     * Shuts the server down cleanly (SIGTERM, as an operator would) and starts it again on the same port
     * with the same data, e.g. to test that a client reconnects. Start-up SQL runs again.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException(this + " is stopped");
        }
        started.process().shutDown();
        started = started.relaunch();
    }

    /** Kills the server and deletes its data directory. Idempotent. */
    public synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        RUNNING.remove(this);
        InstanceLauncher.Started started = this.started;
        try {
            started.process().stop();
        } finally {
            LocalCache.deleteRecursively(started.instance().directory());
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return product + " at " + host() + ":" + port();
    }

    private static void closeAllRunning() {
        for (EmbeddedDatabase database : List.copyOf(RUNNING)) {
            try {
                database.stop();
            } catch (RuntimeException e) {
                // Nobody is left to throw to at JVM exit; say so on stderr rather than lose it
                System.err.println("Could not stop " + database + " at JVM exit: " + e);
            }
        }
    }

    /** Options both servers understand. */
    public abstract static class Builder<B extends Builder<B, D>, D extends EmbeddedDatabase> {

        long serverId = 1;
        RowMetadata rowMetadata = RowMetadata.FULL;
        boolean tls;
        Duration startTimeout = Duration.ofMinutes(2);
        final List<String> initSql = new ArrayList<>();
        final List<String> serverOptions = new ArrayList<>();

        Builder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        public B serverId(long serverId) {
            if (serverId < 1 || serverId > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("server id must be between 1 and 4294967295, got " + serverId);
            }
            this.serverId = serverId;
            return self();
        }

        public B rowMetadata(RowMetadata rowMetadata) {
            this.rowMetadata = Objects.requireNonNull(rowMetadata, "rowMetadata");
            return self();
        }

        /** Whether the server offers TLS connections. */
        public B tls(boolean tls) {
            this.tls = tls;
            return self();
        }

        public B startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return self();
        }

        /**
         * Statements the server runs as root each time it starts, also on {@link EmbeddedDatabase#restart()}
         * (so make them idempotent); one statement per string, one line each.
         */
        public B initSql(String... statements) {
            initSql.addAll(List.of(statements));
            return self();
        }

        /** Extra server command-line options, e.g. {@code "--binlog-row-image=MINIMAL"}. */
        public B serverOption(String... options) {
            serverOptions.addAll(List.of(options));
            return self();
        }

        public abstract D start();

        /** Copies the options this class holds, so a started server is not changed by later builder calls. */
        <T extends Builder<T, ?>> T copyCommonOptionsTo(T target) {
            target.serverId = serverId;
            target.rowMetadata = rowMetadata;
            target.tls = tls;
            target.startTimeout = startTimeout;
            target.initSql.addAll(initSql);
            target.serverOptions.addAll(serverOptions);
            return target;
        }
    }
}
