package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.autoconfigure.SourceProperties.Start;
import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.source.ReconnectPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ClassUtils;

import java.time.Duration;
import java.util.List;

/**
 * Checks one source's properties before it is created, so that a mistake fails start-up with the property
 * and the fix rather than as a connection error later.
 */
final class SourcePropertiesValidator {

    private static final Logger log = LoggerFactory.getLogger(SourcePropertiesValidator.class);

    private SourcePropertiesValidator() {
    }

    /**
     * @param prefix where the source is configured: {@code canal.source} or {@code canal.sources.<name>}
     * @throws InvalidCanalConfigurationException naming the first property at fault
     */
    static void validate(String name, String prefix, SourceProperties source) {
        SourceType type = source.effectiveType();
        switch (type) {
            case BINLOG -> {
                validateBinlog(name, prefix, source);
                validateSnapshot(name, prefix, source.getSnapshot());
            }
            case CANAL -> validateCanal(name, prefix, source);
            case KAFKA -> validateKafka(name, prefix, source);
        }
        positive(source.getBatchSize(), name, prefix + ".batch-size");
        positive(source.getFetchTimeout(), name, prefix + ".fetch-timeout");
        positive(source.getReconnect().getInitialInterval(), name, prefix + ".reconnect.initial-interval");
        if (source.getReconnect().getMaxInterval().compareTo(source.getReconnect().getInitialInterval()) < 0) {
            throw new InvalidCanalConfigurationException(prefix + ".reconnect.max-interval",
                    "Source '" + name + "': reconnect.max-interval (" + source.getReconnect().getMaxInterval()
                            + ") is shorter than reconnect.initial-interval ("
                            + source.getReconnect().getInitialInterval() + ").",
                    "Set " + prefix + ".reconnect.max-interval to at least the initial interval.");
        }
        int maxAttempts = source.getReconnect().getMaxAttempts();
        if (maxAttempts < ReconnectPolicy.FOREVER) {
            throw new InvalidCanalConfigurationException(prefix + ".reconnect.max-attempts",
                    "Source '" + name + "': reconnect.max-attempts is " + maxAttempts + ".",
                    "Set " + prefix + ".reconnect.max-attempts to -1 (keep trying) or a positive number.");
        }
        if (maxAttempts == 0) {
            log.warn("{}.reconnect.max-attempts=0 keeps source '{}' reconnecting for as long as the application runs,"
                    + " as before; this meaning of 0 is deprecated: write -1 (keep trying), the one value that means"
                    + " so for every source", prefix, name);
        }
    }

    private static void validateKafka(String name, String prefix, SourceProperties source) {
        if (source.getKafka().getTopics().stream().allMatch(topic -> topic == null || topic.isBlank())) {
            throw new InvalidCanalConfigurationException(prefix + ".kafka.topics",
                    "Kafka source '" + name + "' has no topics.",
                    "Set " + prefix + ".kafka.topics to the topics the Canal server writes (canal.mq.topic).");
        }
        positive(source.getKafka().getCheckInterval(), name, prefix + ".kafka.check-interval");
        positive(source.getConnectTimeout(), name, prefix + ".connect-timeout");
    }

    private static void validateBinlog(String name, String prefix, SourceProperties source) {
        if (source.getHost() == null || source.getHost().isBlank()) {
            throw new InvalidCanalConfigurationException(prefix + ".host",
                    "Binlog source '" + name + "' has no host.",
                    "Set " + prefix + ".host to the MySQL/MariaDB server's host name.");
        }
        port(source.getPort(), name, prefix + ".port");
        if (source.getUsername() == null || source.getUsername().isBlank()) {
            throw new InvalidCanalConfigurationException(prefix + ".username",
                    "Binlog source '" + name + "' (" + source.getHost() + ":" + source.getPort() + ") has no username.",
                    "Set " + prefix + ".username to a user with REPLICATION SLAVE, REPLICATION CLIENT and SELECT. "
                            + "To use a Canal server instead, set " + prefix + ".addresses and "
                            + prefix + ".destination.");
        }
        if (source.getPassword() == null) {
            throw new InvalidCanalConfigurationException(prefix + ".password",
                    "Binlog source '" + name + "' (" + source.getUsername() + "@" + source.getHost() + ":"
                            + source.getPort() + ") has no password.",
                    "Set " + prefix + ".password (an empty value for a user without password).");
        }
        Long serverId = source.getServerId();
        if (serverId != null && (serverId < 1 || serverId > 0xFFFF_FFFFL)) {
            throw new InvalidCanalConfigurationException(prefix + ".server-id",
                    "Binlog source '" + name + "': server-id " + serverId + " is outside 1..4294967295.",
                    "Set " + prefix + ".server-id to a number in 1..4294967295 that no other replica of the server uses.");
        }
        SourceProperties.Ssl ssl = source.getSsl();
        if (ssl.getBundle() != null && (ssl.getTrustStore() != null || ssl.getKeyStore() != null)) {
            throw new InvalidCanalConfigurationException(prefix + ".ssl.bundle",
                    "Binlog source '" + name + "' takes TLS from the SSL bundle '" + ssl.getBundle()
                            + "' and from " + (ssl.getTrustStore() != null ? "ssl.trust-store" : "ssl.key-store")
                            + " at once.",
                    "Keep one: " + prefix + ".ssl.bundle (with spring.ssl.bundle.*), or the " + prefix
                            + ".ssl.trust-store / key-store keys.");
        }
        Start start = source.getStart();
        switch (start.getMode()) {
            case POSITION -> {
                if (start.getFile() == null || start.getFile().isBlank()) {
                    throw new InvalidCanalConfigurationException(prefix + ".start.file",
                            "Binlog source '" + name + "' starts at a position but names no binlog file.",
                            "Set " + prefix + ".start.file (e.g. mysql-bin.000003) and " + prefix + ".start.position.");
                }
                if (start.getPosition() < 4) {
                    throw new InvalidCanalConfigurationException(prefix + ".start.position",
                            "Binlog source '" + name + "': start.position " + start.getPosition()
                                    + " is before the first event of a binlog file.",
                            "Set " + prefix + ".start.position to 4 or more.");
                }
            }
            case GTID -> {
                if (start.getGtidSet() == null || start.getGtidSet().isBlank()) {
                    throw new InvalidCanalConfigurationException(prefix + ".start.gtid-set",
                            "Binlog source '" + name + "' starts after a GTID set but none is given.",
                            "Set " + prefix + ".start.gtid-set (uuid:1-42 on MySQL, domain-server-seq on MariaDB).");
                }
                if (start.getGtidSet().contains(":")) {
                    try {
                        GtidSet.parse(start.getGtidSet().trim());
                    } catch (RuntimeException e) {
                        throw new InvalidCanalConfigurationException(prefix + ".start.gtid-set",
                                "Binlog source '" + name + "': start.gtid-set '" + start.getGtidSet()
                                        + "' is not a MySQL GTID set (" + e.getMessage() + ").",
                                "Write it as uuid:1-42[:50-60][,uuid:...], as SELECT @@gtid_executed shows it.");
                    }
                }
            }
            default -> {
            }
        }
        positive(source.getConnectTimeout(), name, prefix + ".connect-timeout");
        positive(source.getHeartbeatInterval(), name, prefix + ".heartbeat-interval");
        if (source.getReadTimeout().compareTo(source.getHeartbeatInterval()) <= 0) {
            throw new InvalidCanalConfigurationException(prefix + ".read-timeout",
                    "Binlog source '" + name + "': read-timeout (" + source.getReadTimeout()
                            + ") is not longer than heartbeat-interval (" + source.getHeartbeatInterval()
                            + "), so an idle connection would be taken for a dead one.",
                    "Set " + prefix + ".read-timeout to a few heartbeat intervals.");
        }
        if (source.getQueueCapacity() < 1) {
            throw new InvalidCanalConfigurationException(prefix + ".queue-capacity",
                    "Source '" + name + "': queue-capacity is " + source.getQueueCapacity() + ".",
                    "Set " + prefix + ".queue-capacity to a positive number.");
        }
    }

    private static void validateCanal(String name, String prefix, SourceProperties source) {
        List<String> addresses = source.getAddresses();
        if (source.getZookeeper().isSet()) {
            validateCanalRegistry(name, prefix, source);
            addresses = List.of();
        } else if (addresses == null || addresses.isEmpty()) {
            throw new InvalidCanalConfigurationException(prefix + ".addresses",
                    "Canal source '" + name + "' has no server address.",
                    "Set " + prefix + ".addresses to the Canal server as host:port (e.g. 127.0.0.1:11111), or "
                            + prefix + ".zookeeper.connect-string to the ZooKeeper the Canal servers register in.");
        }
        for (String address : addresses) {
            parseAddress(address, name, prefix + ".addresses");
        }
        if (source.getDestination() == null || source.getDestination().isBlank()) {
            throw new InvalidCanalConfigurationException(prefix + ".destination",
                    "Canal source '" + name + "' (" + (addresses.isEmpty() ? "ZooKeeper "
                            + source.getZookeeper().getConnectString() : String.join(",", addresses))
                            + ") has no destination.",
                    "Set " + prefix + ".destination to the Canal instance to subscribe to (e.g. example).");
        }
        if (source.getPrefetch() < 1) {
            throw new InvalidCanalConfigurationException(prefix + ".prefetch",
                    "Canal source '" + name + "': prefetch is " + source.getPrefetch() + ".",
                    "Set " + prefix + ".prefetch to 1 or more.");
        }
        if (source.getClientId() < 1) {
            throw new InvalidCanalConfigurationException(prefix + ".client-id",
                    "Canal source '" + name + "': client-id " + source.getClientId() + " is outside 1..32767.",
                    "Set " + prefix + ".client-id to a number in 1..32767.");
        }
        positive(source.getConnectTimeout(), name, prefix + ".connect-timeout");
        positive(source.getReadTimeout(), name, prefix + ".read-timeout");
    }

    /** A Canal source that finds its server in Canal's ZooKeeper registry. */
    private static void validateCanalRegistry(String name, String prefix, SourceProperties source) {
        String property = prefix + ".zookeeper.connect-string";
        if (source.getAddresses() != null && !source.getAddresses().isEmpty()) {
            throw new InvalidCanalConfigurationException(property,
                    "Canal source '" + name + "' has both addresses " + source.getAddresses() + " and " + property
                            + " (" + source.getZookeeper().getConnectString() + "); it can follow only one of them.",
                    "Remove " + prefix + ".addresses to find the running Canal server in ZooKeeper, or remove "
                            + property + " to use the addresses.");
        }
        if (!ClassUtils.isPresent("org.apache.curator.framework.recipes.cache.CuratorCache",
                SourcePropertiesValidator.class.getClassLoader())) {
            throw new InvalidCanalConfigurationException(property,
                    "Canal source '" + name + "' has " + property + " set, but Apache Curator, which reads Canal's"
                            + " ZooKeeper registry, is not on the class path.",
                    "Add the dependency org.apache.curator:curator-recipes, or set " + prefix
                            + ".addresses instead of " + property + ".");
        }
        positive(source.getZookeeper().getSessionTimeout(), name, prefix + ".zookeeper.session-timeout");
    }

    /** {@code host:port} of a Canal server; the port is required. */
    static HostAndPort parseAddress(String address, String name, String property) {
        String trimmed = address == null ? "" : address.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new InvalidCanalConfigurationException(property,
                    "Canal source '" + name + "': address '" + trimmed + "' is not host:port.",
                    "Write each address of " + property + " as host:port, e.g. 127.0.0.1:11111.");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new InvalidCanalConfigurationException(property,
                    "Canal source '" + name + "': address '" + trimmed + "' has a bad port (1..65535).",
                    "Write each address of " + property + " as host:port with a port in 1..65535.");
        }
        return new HostAndPort(trimmed.substring(0, colon), port);
    }

    record HostAndPort(String host, int port) {
    }

    private static void port(int port, String name, String property) {
        if (port < 1 || port > 65535) {
            throw new InvalidCanalConfigurationException(property,
                    "Source '" + name + "': port " + port + " is outside 1..65535.",
                    "Set " + property + " to the server's port (MySQL and MariaDB listen on 3306 by default).");
        }
    }

    private static void positive(int value, String name, String property) {
        if (value < 1) {
            throw new InvalidCanalConfigurationException(property,
                    "Source '" + name + "': " + property.substring(property.lastIndexOf('.') + 1) + " is " + value + ".",
                    "Set " + property + " to a positive number.");
        }
    }

    private static void positive(Duration value, String name, String property) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidCanalConfigurationException(property,
                    "Source '" + name + "': " + property.substring(property.lastIndexOf('.') + 1) + " is " + value + ".",
                    "Set " + property + " to a positive duration, e.g. 5s.");
        }
    }

    private static void validateSnapshot(String name, String prefix, SourceProperties.Snapshot snapshot) {
        if (snapshot.getChunkSize() < 1) {
            throw new InvalidCanalConfigurationException(prefix + ".snapshot.chunk-size", "Source '" + name
                    + "': snapshot chunk size " + snapshot.getChunkSize() + " is not positive.",
                    "Set it to the rows per chunk, e.g. 1024.");
        }
        for (String pattern : snapshot.getTables()) {
            try {
                dev.canalboot.listener.container.TablePattern.parse(pattern);
            } catch (IllegalArgumentException e) {
                throw new InvalidCanalConfigurationException(prefix + ".snapshot.tables", "Source '" + name
                        + "': snapshot table pattern '" + pattern + "' is malformed: " + e.getMessage(),
                        "Write schema.table, schema.* or regex:<expression>.");
            }
        }
    }
}
