package dev.canalboot.testsupport;

import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A real Canal 1.1.7 server (CanalServerWithEmbedded + CanalServerWithNetty + CanalInstanceWithManager)
 * in this JVM, reading the binlog of an embedded MySQL or MariaDB and serving one destination on a
 * random port of 127.0.0.1. Positions and ack cursors live in memory only.
 *
 * <p>It starts reading at the binlog position the database reports when {@link Builder#start()} is
 * called, so rows written after it returns are never missed.
 *
 * <p>Canal 1.1.7 calls Spring 5 methods that Spring 7 (on this class path) no longer has, so the
 * server runs in its own class loader: the test class path without Spring jars, plus the Spring 5
 * jars Maven copies to {@code target/canal-server-spring} (system property {@value #SPRING_DIR_PROPERTY}
 * overrides the location, e.g. for modules that use this class from the test-jar).
 */
public final class EmbeddedCanalServer implements AutoCloseable {

    public static final String SPRING_DIR_PROPERTY = "canalboot.canal-server-spring-dir";

    /**
     * Where Canal's Kafka connector (jar-with-dependencies, with the kafka-clients 2.4.0 it bundles) lies, for
     * {@link Builder#kafka}; copied by the maven-dependency-plugin execution canal-mq-kafka.
     */
    public static final String MQ_KAFKA_DIR_PROPERTY = "canalboot.canal-mq-kafka-dir";

    private static ClassLoader isolatedLoader;

    private final String destination;
    private final String filter;
    private final int port;
    private final AutoCloseable runner;
    private final ClassLoader loader;
    private volatile boolean closed;

    private EmbeddedCanalServer(String destination, String filter, int port, AutoCloseable runner,
                                ClassLoader loader) {
        this.destination = destination;
        this.filter = filter;
        this.port = port;
        this.runner = runner;
        this.loader = loader;
    }

    public static Builder builder(EmbeddedDatabase database) {
        return new Builder(database);
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host(), port);
    }

    public String destination() {
        return destination;
    }

    /** The server-side table filter (Canal regex syntax, e.g. {@code shop\\..*}). */
    public String filter() {
        return filter;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        withContextLoader(loader, () -> {
            runner.close();
            return null;
        });
    }

    @Override
    public String toString() {
        return "Canal server " + host() + ":" + port + " destination " + destination;
    }

    public static final class Builder {

        private final EmbeddedDatabase database;
        private String destination = "example";
        private String filter = ".*\\..*";
        private DatabaseUser user;
        private long slaveId = ThreadLocalRandom.current().nextLong(10_000, 1_000_000);
        private int port;
        private String canalUser;
        private String canalPasswordHash;
        private String binlogFile;
        private long binlogOffset;
        private Map<String, Object> kafka;
        private String zkServers;
        private int takeoverDelaySeconds = 1;

        private Builder(EmbeddedDatabase database) {
            this.database = Objects.requireNonNull(database, "database");
            this.user = database.nativePasswordUser();
        }

        public Builder destination(String destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /** Canal regex table filter, e.g. {@code "shop\\\\.orders,shop\\\\..*"}. Default: every table. */
        public Builder filter(String filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** The database account Canal replicates with; default: the {@code mysql_native_password} one. */
        public Builder user(DatabaseUser user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** Server id Canal presents to the database as a replica; default: random. */
        public Builder slaveId(long slaveId) {
            this.slaveId = slaveId;
            return this;
        }

        /** The Canal port; default: a free one. A fixed port lets a test restart the server in place. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Clients must log in as {@code user} with this password ({@code canal.user} / {@code canal.passwd},
         * the latter stored as {@code SHA1(SHA1(password))} in hex). Default: no authentication.
         */
        public Builder credentials(String user, String passwordSha1Sha1Hex) {
            this.canalUser = Objects.requireNonNull(user, "user");
            this.canalPasswordHash = Objects.requireNonNull(passwordSha1Sha1Hex, "passwordSha1Sha1Hex");
            return this;
        }

        /** Start reading the binlog here instead of at the database's current position. */
        public Builder binlogPosition(String file, long offset) {
            this.binlogFile = Objects.requireNonNull(file, "file");
            this.binlogOffset = offset;
            return this;
        }

        /**
         * Runs the server in Kafka MQ mode: Canal 1.1.7's own Kafka producer publishes every batch to {@code topic}
         * ({@code canal.mq.flatMessage} = {@code flatMessage}), over {@code partitions} partitions by
         * {@code partitionHash} (Canal's {@code canal.mq.partitionHash}, e.g. {@code "shop\\..*:$pk$"}), or all to
         * partition 0 when it is {@code null}. Clients may still connect to the port.
         */
        public Builder kafka(String bootstrapServers, String topic, boolean flatMessage, int partitions,
                             String partitionHash) {
            kafka = new HashMap<>();
            kafka.put("mqServers", Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
            kafka.put("mqTopic", Objects.requireNonNull(topic, "topic"));
            kafka.put("mqFlat", flatMessage);
            kafka.put("mqPartitions", partitions);
            if (partitionHash != null) {
                kafka.put("mqPartitionHash", partitionHash);
            }
            return this;
        }

        /**
         * Runs the server in Canal's cluster mode: it registers at {@code /otter/canal/cluster/127.0.0.1:port} in
         * this ZooKeeper, and runs the destination only while Canal's own running monitor holds the destination's
         * ephemeral node {@code /otter/canal/destinations/<destination>/running} (JSON with its address); client
         * cursors live in ZooKeeper. Start several servers on one destination: one runs it, the others take over
         * {@code takeoverDelaySeconds} after it stops (Canal's {@code ServerRunningMonitor} delay; Canal's default is
         * 5). Each such server has its own class loader, so Canal's static registries stay per server, as per process.
         */
        public Builder zooKeeper(String connectString, int takeoverDelaySeconds) {
            this.zkServers = Objects.requireNonNull(connectString, "connectString");
            this.takeoverDelaySeconds = takeoverDelaySeconds;
            return this;
        }

        public EmbeddedCanalServer start() {
            Map<String, Object> settings = new HashMap<>();
            settings.put("destination", destination);
            settings.put("filter", filter);
            settings.put("dbHost", database.host());
            settings.put("dbPort", database.port());
            settings.put("dbUser", user.name());
            settings.put("dbPassword", user.password());
            if (binlogFile == null) {
                readBinlogPosition(database, settings);
            } else {
                settings.put("binlogFile", binlogFile);
                settings.put("binlogOffset", binlogOffset);
            }
            if (canalUser != null) {
                settings.put("canalUser", canalUser);
                settings.put("canalPasswordHash", canalPasswordHash);
            }
            settings.put("slaveId", slaveId);
            if (kafka != null) {
                settings.putAll(kafka);
            }
            if (zkServers != null) {
                settings.put("zkServers", zkServers);
                settings.put("zkDelaySeconds", takeoverDelaySeconds);
            }
            String runnerName = (kafka == null ? CanalServerRunner.class : CanalKafkaRunner.class).getName();
            int port = this.port > 0 ? this.port : freePort();
            settings.put("port", port);
            String description = "Canal server 127.0.0.1:" + port + " destination " + destination + " reading "
                    + database;
            ClassLoader loader = zkServers == null ? isolatedLoader() : newIsolatedLoader();
            AutoCloseable runner = withContextLoader(loader, () -> {
                try {
                    Class<?> runnerClass = Class.forName(runnerName, true, loader);
                    return (AutoCloseable) runnerClass.getConstructor(Map.class).newInstance(settings);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("Could not start " + description, e.getCause());
                }
            });
            return new EmbeddedCanalServer(destination, filter, port, runner, loader);
        }
    }

    private static void readBinlogPosition(EmbeddedDatabase database, Map<String, Object> settings) {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(null), database.rootUser(),
                database.rootPassword());
             Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery("SHOW MASTER STATUS")) {
            if (!status.next()) {
                throw new IllegalStateException(database + " has no binlog (SHOW MASTER STATUS is empty)");
            }
            settings.put("binlogFile", status.getString(1));
            settings.put("binlogOffset", status.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the binlog position of " + database, e);
        }
    }

    private interface IsolatedAction<T> {
        T run() throws Exception;
    }

    /** Canal creates threads and looks up plugins through the context class loader. */
    private static <T> T withContextLoader(ClassLoader loader, IsolatedAction<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static synchronized ClassLoader isolatedLoader() {
        if (isolatedLoader == null) {
            isolatedLoader = newIsolatedLoader();
        }
        return isolatedLoader;
    }

    private static ClassLoader newIsolatedLoader() {
        Path springDir = Path.of(System.getProperty(SPRING_DIR_PROPERTY, "target/canal-server-spring"));
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> springJars = Files.list(springDir)) {
            for (Path jar : (Iterable<Path>) springJars.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                urls.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The Canal test server needs Spring 5 jars in " + springDir.toAbsolutePath()
                    + " (copied by the maven-dependency-plugin execution canal-server-spring, or set -D"
                    + SPRING_DIR_PROPERTY + ")", e);
        }
        if (urls.isEmpty()) {
            throw new IllegalStateException("No Spring 5 jars in " + springDir.toAbsolutePath());
        }
        // Canal's Kafka connector with its own kafka-clients, when there (only Kafka MQ mode needs it)
        Path mqKafkaDir = Path.of(System.getProperty(MQ_KAFKA_DIR_PROPERTY, "target/canal-mq-kafka"));
        if (Files.isDirectory(mqKafkaDir)) {
            try (Stream<Path> jars = Files.list(mqKafkaDir)) {
                for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                    urls.add(jar.toUri().toURL());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not list " + mqKafkaDir.toAbsolutePath(), e);
            }
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            // Leave out Spring 7 (and Boot, built on it), and the Kafka 4 jars of the test broker and client
            if (!(name.startsWith("spring-") && name.endsWith(".jar"))
                    && !(name.startsWith("kafka") && name.endsWith(".jar"))) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException("Unusable class path entry " + entry, e);
                }
            }
        }
        return new URLClassLoader("canal-test-server", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port", e);
        }
    }
}
