package dev.canalboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Engines of high availability ({@code canal.ha.*}); each source chooses one with
 * {@code canal.sources.<name>.ha.mode}.
 */
@ConfigurationProperties(CanalHaProperties.PREFIX)
public class CanalHaProperties {

    public static final String PREFIX = "canal.ha";

    /**
     * This instance's identity in elections, shown as the leader of the sources it leads. Must differ between
     * instances; when not set, host name, process id and a random suffix.
     */
    private String instanceId;

    /** ha.mode=jdbc: the lock and epoch tables in the application's DataSource. */
    private final Jdbc jdbc = new Jdbc();

    /**
     * ha.mode=zookeeper and canal.checkpoint.store=zookeeper: the ZooKeeper ensemble the leader latches (and the
     * checkpoints) live in.
     */
    private final Zookeeper zookeeper = new Zookeeper();

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Zookeeper getZookeeper() {
        return zookeeper;
    }

    public static class Jdbc {

        /**
         * Prefix of the election tables, created if missing: PREFIX + LOCK (Spring Integration's lock table) and
         * PREFIX + EPOCH (the leaders' epochs); optionally schema-qualified.
         */
        private String tablePrefix = "CANAL_HA_";

        /**
         * How long a leader's lock stays valid without renewal (it renews every fifth of it): a dead leader's
         * source is taken over after at most about this long.
         */
        private Duration lease = Duration.ofSeconds(10);

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }
    }

    public static class Zookeeper {

        /**
         * ZooKeeper connect string (host:port[,host:port...]); required by ha.mode=zookeeper and
         * canal.checkpoint.store=zookeeper unless the application has a CuratorFramework bean.
         */
        private String connectString;

        /**
         * ZooKeeper session timeout: a dead leader's source is taken over after at most about this long (the
         * server may bound it by its tick time).
         */
        private Duration sessionTimeout = Duration.ofSeconds(10);

        /** How long start-up waits for the first connection to ZooKeeper before it fails. */
        private Duration connectionTimeout = Duration.ofSeconds(5);

        /**
         * Root node of the leader latches, epochs and checkpoints: ROOT/<source>/leader, ROOT/<source>/epoch and
         * (canal.checkpoint.store=zookeeper) ROOT/<source>/checkpoint.
         */
        private String root = "/canal-spring-boot";

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

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }

        public String getRoot() {
            return root;
        }

        public void setRoot(String root) {
            this.root = root;
        }
    }
}
