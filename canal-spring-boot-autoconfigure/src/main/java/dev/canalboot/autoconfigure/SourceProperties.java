package dev.canalboot.autoconfigure;

import dev.canalboot.binlog.RowDecoding;
import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.source.ReconnectPolicy;
import dev.canalboot.kafka.KafkaSourceSettings;
import dev.canalboot.kafka.MessageFormat;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One change source: either a binlog source (this application acts as a MySQL/MariaDB replica) or a client
 * of a Canal server. Used for {@code canal.source} (a single source named {@code default}) and for each
 * entry of {@code canal.sources}.
 */
public class SourceProperties {

    /**
     * Kind of source. When omitted it is inferred: "kafka" when kafka.topics are set, "canal" when addresses or a
     * destination are set, else "binlog".
     */
    private SourceType type;

    // ------------------------------------------------------------------ binlog source

    /** Binlog source: host name or IP address of the MySQL/MariaDB server. */
    private String host = "localhost";

    /** Binlog source: port of the MySQL/MariaDB server. */
    private int port = 3306;

    /**
     * Binlog source: login user; needs REPLICATION SLAVE, REPLICATION CLIENT and SELECT. Canal source: the
     * Canal server's user (canal.user), when it has one.
     */
    private String username;

    /**
     * Binlog source: password of the login user (an empty value means no password). Canal source: the
     * Canal server user's password.
     */
    private String password;

    /**
     * Binlog source: server id this replica registers with; must differ from every other replica of the
     * server. When not set, a random id in 65536..2147483647 is chosen at each start.
     */
    private Long serverId;

    /** Binlog source: TLS of the connection. */
    private final Ssl ssl = new Ssl();

    /** Binlog source: where to start reading when there is no checkpoint (or checkpoint-wins is false). */
    private final Start start = new Start();

    /**
     * Binlog source: whether a stored checkpoint wins over the configured start position. Set to false
     * once to move a source to "start" on purpose.
     */
    private boolean checkpointWins = true;

    /**
     * Binlog source: interval at which the server sends heartbeats while the binlog is idle; a missing
     * heartbeat for read-timeout detects a dead connection.
     */
    private Duration heartbeatInterval = Duration.ofSeconds(10);

    /**
     * Binlog source: register as a semi-synchronous replica. When the server runs semi-sync, a commit on the
     * server waits (up to its semi-sync timeout) until this source acknowledged the transaction: its listeners
     * returned and its checkpoint was saved.
     */
    private boolean semiSync = false;

    /**
     * Binlog source: which thread turns row images into typed values. CONNECTION_THREAD (default, the least CPU
     * per row); ADAPTIVE: the connection's thread, except while the listeners' thread waits for work, which then
     * decodes what was read meanwhile; CONSUMER_THREAD.
     */
    private RowDecoding rowDecoding = RowDecoding.CONNECTION_THREAD;

    /** Timeout of connecting and logging in (binlog) or of connecting and subscribing (Canal). */
    private Duration connectTimeout = Duration.ofSeconds(10);

    /**
     * How long the connection may stay silent before it is considered dead and reconnected: no event nor
     * heartbeat (binlog; must be longer than heartbeat-interval), no answer beyond fetch-timeout (Canal).
     */
    private Duration readTimeout = Duration.ofSeconds(30);

    // ------------------------------------------------------------------ Canal client

    /**
     * Canal source: server addresses as host:port. Several addresses are tried in order (a server and its
     * standbys).
     */
    private List<String> addresses = new ArrayList<>();

    /** Canal source: the Canal destination (instance) to subscribe to. */
    private String destination;

    /** Canal source: client id of this subscriber on the destination, 1..32767. */
    private short clientId = 1001;

    /**
     * Canal source: subscription filter, a comma-separated list of schema.table regular expressions. When
     * not set, the server's configured filter applies.
     */
    private String filter;

    /**
     * Canal source: whether to keep the server's own filter and send no filter on subscribe, even when
     * "filter" is set.
     */
    private boolean useServerFilter = false;

    /** Canal source: how many batches to request ahead of the one being dispatched (at least 1). */
    private int prefetch = 2;

    /**
     * Canal source: time zone of the MySQL server behind Canal, used to turn TIMESTAMP text into instants.
     * When not set, the JVM's default time zone.
     */
    private ZoneId serverTimeZone;

    // ------------------------------------------------------------------ common

    /**
     * Events per batch handed to listeners. A binlog batch closes at the first transaction end from here
     * on; for Canal it is the number of entries fetched at once.
     */
    private int batchSize = 1000;

    /**
     * How long one fetch waits for changes: the Canal server's wait to fill a batch, and the listener
     * container's wait in one poll.
     */
    private Duration fetchTimeout = Duration.ofSeconds(1);

    /**
     * Binlog source: batches decoded ahead of the listeners; reading from the server pauses while this many
     * wait (back-pressure), so memory stays bounded by about queue-capacity x batch-size events.
     */
    private int queueCapacity = 8;

    /** Reconnection after a lost connection. */
    private final Reconnect reconnect = new Reconnect();

    /**
     * Canal source: the database the Canal server reads, asked now and then so that a Canal server that stopped
     * reading the binlog is reported instead of looking idle. Off unless {@code host} is set.
     */
    private final Upstream upstream = new Upstream();

    /**
     * Canal source: find the Canal server that runs the destination in Canal's own ZooKeeper registry (servers in
     * cluster mode) instead of at fixed addresses, and follow it when another server takes over. Off unless
     * {@code connect-string} is set; not together with addresses.
     */
    private final Zookeeper zookeeper = new Zookeeper();

    /** Binlog source: snapshots of the rows that exist before the first change streamed (README, Snapshots). */
    private final Snapshot snapshot = new Snapshot();

    /**
     * Kafka source: the topics a Canal server writes in MQ mode, and how to read them. The connection comes from
     * Spring Boot's Kafka configuration (spring.kafka.*), overridable here.
     */
    private final Kafka kafka = new Kafka();

    /** Whether the source starts paused: its listener container connects only when resumed. */
    private boolean startPaused = false;

    /** Whether the source starts with the application context. */
    private boolean autoStartup = true;

    /** Rows of this source handled at once; unset takes canal.listener.concurrency. */
    private Integer concurrency;

    /** High availability: which of the application's instances reads this source. */
    private final Ha ha = new Ha();

    public Kafka getKafka() {
        return kafka;
    }

    /** Binlog source: publishes its changes to Kafka as Canal flat messages (see "Relay to Kafka"). */
    @NestedConfigurationProperty
    private final RelayProperties relay = new RelayProperties();

    public SourceType getType() {
        return type;
    }

    public void setType(SourceType type) {
        this.type = type;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Long getServerId() {
        return serverId;
    }

    public void setServerId(Long serverId) {
        this.serverId = serverId;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Start getStart() {
        return start;
    }

    public boolean isCheckpointWins() {
        return checkpointWins;
    }

    public void setCheckpointWins(boolean checkpointWins) {
        this.checkpointWins = checkpointWins;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public RowDecoding getRowDecoding() {
        return rowDecoding;
    }

    public void setRowDecoding(RowDecoding rowDecoding) {
        this.rowDecoding = rowDecoding;
    }

    public boolean isSemiSync() {
        return semiSync;
    }

    public void setSemiSync(boolean semiSync) {
        this.semiSync = semiSync;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public List<String> getAddresses() {
        return addresses;
    }

    public void setAddresses(List<String> addresses) {
        this.addresses = addresses;
    }

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public short getClientId() {
        return clientId;
    }

    public void setClientId(short clientId) {
        this.clientId = clientId;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    public boolean isUseServerFilter() {
        return useServerFilter;
    }

    public void setUseServerFilter(boolean useServerFilter) {
        this.useServerFilter = useServerFilter;
    }

    public int getPrefetch() {
        return prefetch;
    }

    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    public ZoneId getServerTimeZone() {
        return serverTimeZone;
    }

    public void setServerTimeZone(ZoneId serverTimeZone) {
        this.serverTimeZone = serverTimeZone;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getFetchTimeout() {
        return fetchTimeout;
    }

    public void setFetchTimeout(Duration fetchTimeout) {
        this.fetchTimeout = fetchTimeout;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Upstream getUpstream() {
        return upstream;
    }

    public Zookeeper getZookeeper() {
        return zookeeper;
    }

    public Reconnect getReconnect() {
        return reconnect;
    }

    public Snapshot getSnapshot() {
        return snapshot;
    }

    public boolean isStartPaused() {
        return startPaused;
    }

    public void setStartPaused(boolean startPaused) {
        this.startPaused = startPaused;
    }

    public boolean isAutoStartup() {
        return autoStartup;
    }

    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public RelayProperties getRelay() {
        return relay;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    /** The configured type, or the one inferred from which fields are set. */
    public SourceType effectiveType() {
        if (type != null) {
            return type;
        }
        if (!kafka.getTopics().isEmpty()) {
            return SourceType.KAFKA;
        }
        boolean canalFieldsSet = (addresses != null && !addresses.isEmpty())
                || (destination != null && !destination.isBlank()) || zookeeper.isSet();
        return canalFieldsSet ? SourceType.CANAL : SourceType.BINLOG;
    }

    /** Kinds of source. */
    public enum SourceType {
        /** This application reads the binlog itself, as a replica of the MySQL/MariaDB server. */
        BINLOG,
        /** This application is a client of a Canal server. */
        CANAL,
        /** This application reads the Kafka topics a Canal server (or a relay) writes in MQ mode. */
        KAFKA
    }

    /** Where a binlog source starts reading. */
    public enum StartMode {
        /** At the server's current end of the binlog: only changes made from now on. */
        LATEST,
        /** At the oldest binlog file the server still has. */
        EARLIEST,
        /** At start.file / start.position. */
        POSITION,
        /** After the transactions of start.gtid-set. */
        GTID
    }

    public Ha getHa() {
        return ha;
    }

    /** High availability of one source (engine settings are under canal.ha). */
    public static class Ha {

        /**
         * How the application's instances agree on the one that reads and delivers this source: NONE (every
         * instance does), JDBC (a lock row in the application's DataSource; needs spring-integration-jdbc and
         * canal.checkpoint.store=jdbc for a binlog source) or ZOOKEEPER (an Apache Curator leader latch; needs
         * curator-recipes and canal.ha.zookeeper.connect-string).
         */
        private dev.canalboot.ha.HaMode mode = dev.canalboot.ha.HaMode.NONE;

        public dev.canalboot.ha.HaMode getMode() {
            return mode;
        }

        public void setMode(dev.canalboot.ha.HaMode mode) {
            this.mode = mode;
        }
    }

    /** Snapshots of a binlog source: the rows that exist, merged with the stream without locks. */
    public static class Snapshot {

        /**
         * When the source snapshots: never (the default); initial (when it has no checkpoint yet: the tables are
         * read while the stream runs, then it keeps streaming); initial-only (as initial, then the source stops,
         * its checkpoint saying the snapshot is complete); when-needed (as initial, and also when the checkpoint's
         * binlog was purged: it reads on from the server's present end and snapshots again instead of failing).
         */
        private dev.canalboot.snapshot.SnapshotMode mode = dev.canalboot.snapshot.SnapshotMode.NEVER;

        /**
         * Tables to snapshot, as patterns like those of @CanalListener: schema.table, schema.*, or regex:...
         * Empty (the default): the tables the source's listeners match.
         */
        private List<String> tables = new ArrayList<>();

        /** Rows per chunk: one SELECT by key, and the most rows a snapshot holds in memory at once. */
        private int chunkSize = 8192;

        /**
         * Key columns to chunk by, per schema.table, for a table without a primary key (or to use another
         * unique key): unique and NOT NULL. Without it the primary key is used, else the first unique key of
         * NOT NULL columns; a table with neither is refused.
         */
        private java.util.Map<String, List<String>> keyColumns = new java.util.LinkedHashMap<>();

        public dev.canalboot.snapshot.SnapshotMode getMode() {
            return mode;
        }

        public void setMode(dev.canalboot.snapshot.SnapshotMode mode) {
            this.mode = mode;
        }

        public List<String> getTables() {
            return tables;
        }

        public void setTables(List<String> tables) {
            this.tables = tables;
        }

        public int getChunkSize() {
            return chunkSize;
        }

        public void setChunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
        }

        public java.util.Map<String, List<String>> getKeyColumns() {
            return keyColumns;
        }

        public void setKeyColumns(java.util.Map<String, List<String>> keyColumns) {
            this.keyColumns = keyColumns;
        }
    }

    /** TLS of a binlog connection. */
    public static class Ssl {

        /**
         * TLS mode: disabled, preferred (TLS when offered, certificate not verified), required (TLS, not
         * verified), verify-ca, verify-identity.
         */
        private TlsMode mode = TlsMode.PREFERRED;

        /**
         * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose trust material verifies the server
         * (verify-ca, verify-identity) and whose key material is the client certificate; replaces the store keys
         * below.
         */
        private String bundle;

        /** Trust store with the certificates that sign the server's (verify-ca, verify-identity). */
        private Path trustStore;

        /** Password of the trust store. */
        private String trustStorePassword;

        /** Type of the trust store (PKCS12 or JKS). */
        private String trustStoreType = "PKCS12";

        /** Key store with the client certificate and key, when the server requires one. */
        private Path keyStore;

        /** Password of the key store. */
        private String keyStorePassword;

        /** Type of the key store (PKCS12 or JKS). */
        private String keyStoreType = "PKCS12";

        public TlsMode getMode() {
            return mode;
        }

        public void setMode(TlsMode mode) {
            this.mode = mode;
        }

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public Path getTrustStore() {
            return trustStore;
        }

        public void setTrustStore(Path trustStore) {
            this.trustStore = trustStore;
        }

        public String getTrustStorePassword() {
            return trustStorePassword;
        }

        public void setTrustStorePassword(String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }

        public String getTrustStoreType() {
            return trustStoreType;
        }

        public void setTrustStoreType(String trustStoreType) {
            this.trustStoreType = trustStoreType;
        }

        public Path getKeyStore() {
            return keyStore;
        }

        public void setKeyStore(Path keyStore) {
            this.keyStore = keyStore;
        }

        public String getKeyStorePassword() {
            return keyStorePassword;
        }

        public void setKeyStorePassword(String keyStorePassword) {
            this.keyStorePassword = keyStorePassword;
        }

        public String getKeyStoreType() {
            return keyStoreType;
        }

        public void setKeyStoreType(String keyStoreType) {
            this.keyStoreType = keyStoreType;
        }
    }

    /** Start position of a binlog source. */
    public static class Start {

        /**
         * Where to start: latest (only new changes), earliest (oldest binlog kept), position (file and
         * position) or gtid (after gtid-set).
         */
        private StartMode mode = StartMode.LATEST;

        /** Binlog file name to start from, for mode "position". */
        private String file;

        /** Byte offset in the binlog file to start from, for mode "position" (4 is the first event). */
        private long position = 4;

        /**
         * Executed GTID set to start after, for mode "gtid": uuid:1-42 on MySQL, domain-server-seq on
         * MariaDB.
         */
        private String gtidSet;

        public StartMode getMode() {
            return mode;
        }

        public void setMode(StartMode mode) {
            this.mode = mode;
        }

        public String getFile() {
            return file;
        }

        public void setFile(String file) {
            this.file = file;
        }

        public long getPosition() {
            return position;
        }

        public void setPosition(long position) {
            this.position = position;
        }

        public String getGtidSet() {
            return gtidSet;
        }

        public void setGtidSet(String gtidSet) {
            this.gtidSet = gtidSet;
        }
    }

    /** Kafka source settings; unset values come from spring.kafka.* (spring.kafka.consumer.*). */
    public static class Kafka {

        /** Topics to read, all in the same format (Canal's canal.mq.topic / canal.mq.dynamicTopic names). */
        private List<String> topics = new ArrayList<>();

        /** Consumer group; instances with the same group share the partitions. Default: spring.kafka.consumer.group-id. */
        private String groupId;

        /** Message format the Canal server writes: flat (JSON, canal.mq.flatMessage=true) or protobuf. */
        private MessageFormat format = MessageFormat.FLAT;

        /** Brokers to connect to, host:port. Default: spring.kafka.bootstrap-servers (or its connection details). */
        private List<String> bootstrapServers = new ArrayList<>();

        /** Further kafka-clients consumer properties for this source only; they win over spring.kafka.*. */
        private Map<String, String> properties = new LinkedHashMap<>();

        /**
         * Spring Boot SSL bundle (spring.ssl.bundle.*) for this source's connections to Kafka, over
         * spring.kafka.ssl.bundle; speaks TLS (security.protocol SSL unless a TLS protocol is set).
         */
        private String sslBundle;

        /**
         * How often the source asks the brokers for end and committed offsets (lag per partition); an answer
         * missing for connect-timeout counts as a lost connection.
         */
        private Duration checkInterval = Duration.ofSeconds(5);

        /**
         * Threads of the source's own that decode polled records (JSON parsing, typing the values) while the
         * container's thread runs the listeners of the batch before; 0: decoded on the container's thread.
         */
        private int decodeThreads = KafkaSourceSettings.DEFAULT_DECODE_THREADS;

        public int getDecodeThreads() {
            return decodeThreads;
        }

        public void setDecodeThreads(int decodeThreads) {
            this.decodeThreads = decodeThreads;
        }

        public List<String> getTopics() {
            return topics;
        }

        public void setTopics(List<String> topics) {
            this.topics = topics;
        }

        public String getGroupId() {
            return groupId;
        }

        public void setGroupId(String groupId) {
            this.groupId = groupId;
        }

        public MessageFormat getFormat() {
            return format;
        }

        public void setFormat(MessageFormat format) {
            this.format = format;
        }

        public List<String> getBootstrapServers() {
            return bootstrapServers;
        }

        public void setBootstrapServers(List<String> bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        public Map<String, String> getProperties() {
            return properties;
        }

        public void setProperties(Map<String, String> properties) {
            this.properties = properties;
        }

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public Duration getCheckInterval() {
            return checkInterval;
        }

        public void setCheckInterval(Duration checkInterval) {
            this.checkInterval = checkInterval;
        }
    }

    /** Reconnection with exponential back-off. */
    public static class Reconnect {

        /** Wait before the first reconnection attempt. */
        private Duration initialInterval = Duration.ofSeconds(1);

        /** Cap of the wait between attempts (the wait doubles after each failed attempt). */
        private Duration maxInterval = Duration.ofSeconds(30);

        /**
         * Failed attempts in a row before the source gives up and fails (health DOWN), at start-up as after a lost
         * connection; -1 keeps trying for as long as the application runs, logging each failed attempt. (0 keeps
         * trying too, for configurations of earlier versions; deprecated: write -1.)
         */
        private int maxAttempts = ReconnectPolicy.FOREVER;

        public Duration getInitialInterval() {
            return initialInterval;
        }

        public void setInitialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        public Duration getMaxInterval() {
            return maxInterval;
        }

        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** {@link #getMaxAttempts()} as a {@link ReconnectPolicy} limit: the deprecated 0 is kept as forever. */
        public int effectiveMaxAttempts() {
            return maxAttempts == 0 ? ReconnectPolicy.FOREVER : maxAttempts;
        }
    }

    /** Canal's ZooKeeper registry, in which the server running the destination is found (README, Canal source). */
    public static class Zookeeper {

        /**
         * The ZooKeeper ensemble the Canal servers register in (their canal.zkServers), host:port[,host:port...],
         * with Canal's chroot path appended if it has one. Unset: the source uses addresses.
         */
        private String connectString;

        /** Session timeout of the source's ZooKeeper client. */
        private Duration sessionTimeout = Duration.ofSeconds(30);

        /** Whether a connect string is set. */
        public boolean isSet() {
            return connectString != null && !connectString.isBlank();
        }

        public String getConnectString() {
            return connectString;
        }

        public void setConnectString(String connectString) {
            this.connectString = connectString;
        }

        public Duration getSessionTimeout() {
            return sessionTimeout;
        }

        public void setSessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
        }
    }

    /** The database behind a Canal server, for the stall check (see the README, Canal source, "Values"). */
    public static class Upstream {

        /** Database host; unset: no stall check. */
        private String host;

        /** Database port. */
        private int port = 3306;

        /** An account with REPLICATION CLIENT (MySQL) or BINLOG MONITOR (MariaDB). */
        private String username;

        /** Password of that account. */
        private String password;

        /**
         * How long the database may commit without any entry arriving from Canal before the source is reported
         * stalled (health DOWN, the endpoint's {@code stalled}, an ERROR log line). At least 10 s: Canal forwards
         * an otherwise idle destination's commits only every 5 s.
         */
        private Duration stallTimeout = Duration.ofSeconds(60);

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Duration getStallTimeout() {
            return stallTimeout;
        }

        public void setStallTimeout(Duration stallTimeout) {
            this.stallTimeout = stallTimeout;
        }
    }
}
