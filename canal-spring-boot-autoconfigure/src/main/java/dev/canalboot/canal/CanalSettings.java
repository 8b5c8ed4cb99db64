package dev.canalboot.canal;

import dev.canalboot.source.ReconnectPolicy;
import dev.canalboot.model.ZeroDatePolicy;

import org.jspecify.annotations.Nullable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one {@link CanalChangeSource} talks to a Canal server: one destination per source.
 * Immutable; build with {@link #builder(String, String)}.
 *
 * @param name                 source name (logs, metrics, {@code @CanalListener(source=...)})
 * @param addresses            {@code host:port} of the Canal servers, tried in order on failure; empty when
 *                             {@code zooKeeper} is set
 * @param destination          Canal instance name
 * @param username             Canal user ({@code canal.user}); empty when the server has none
 * @param password             clear password; sent scrambled with the server's seeds
 * @param clientId             Canal client id: a number from 1 to 32767 (the server parses it as a short)
 * @param filter               table filter regex sent on subscribe; REPLACES the destination's
 *                             {@code canal.instance.filter.regex} on the server
 * @param useServerFilter      subscribe with an empty filter and keep the server's filter
 * @param batchSize            entries per GET
 * @param fetchTimeout         how long a GET waits on the server after an empty answer (while changes flow
 *                             GETs do not wait); the server answers after this wait or with a full batch,
 *                             so it bounds how long a change can wait after an idle period
 * @param prefetch             batches requested ahead of the one being dispatched (at least 1)
 * @param maxFrameSize         largest frame accepted from the server, in bytes
 * @param connectTimeout       TCP connect and session set-up (handshake, auth, subscribe) limit
 * @param readTimeout          no byte from the server for this long while a request is pending
 *                             (beyond {@code fetchTimeout}) means the connection is dead
 * @param serverIdleTimeout    the server closes a client silent this long (sent as net read/write timeout)
 * @param reconnectBackoff     first delay before reconnecting; doubles per failed attempt
 * @param maxReconnectBackoff  upper bound of the delay
 * @param maxReconnectAttempts consecutive failed attempts before the source fails; {@link ReconnectPolicy#FOREVER}:
 *                             unbounded
 *                             (every attempt is logged)
 * @param serverZone           time zone of the Canal server JVM, in which it renders TIMESTAMP values
 * @param zeroDates            what zero dates become
 * @param zooKeeper            connect string of the ZooKeeper ensemble in which Canal servers in cluster mode register
 *                             (their {@code canal.zkServers}): the source connects to the server that runs the
 *                             destination there, and follows it to another one; {@code null}: use {@code addresses}
 * @param zooKeeperSessionTimeout session timeout of the source's ZooKeeper client
 */
public record CanalSettings(String name, List<String> addresses, String destination, String username,
                            String password, String clientId, String filter, boolean useServerFilter,
                            int batchSize, Duration fetchTimeout, int prefetch, int maxFrameSize,
                            Duration connectTimeout, Duration readTimeout, Duration serverIdleTimeout,
                            Duration reconnectBackoff, Duration maxReconnectBackoff, int maxReconnectAttempts,
                            ZoneId serverZone, ZeroDatePolicy zeroDates, @Nullable String zooKeeper,
                            Duration zooKeeperSessionTimeout) {

    public CanalSettings {
        require(name != null && !name.isBlank(), "name must be set");
        zooKeeper = zooKeeper == null || zooKeeper.isBlank() ? null : zooKeeper.trim();
        require(addresses != null && (!addresses.isEmpty() || zooKeeper != null), "source " + name
                + ": at least one address is needed, or the ZooKeeper in which the Canal servers register");
        require(addresses.isEmpty() || zooKeeper == null, "source " + name + ": give either addresses " + addresses
                + " or a ZooKeeper (" + zooKeeper + ") to find the running server in, not both");
        require(positive(zooKeeperSessionTimeout), "source " + name + ": zooKeeperSessionTimeout must be positive");
        addresses = List.copyOf(addresses);
        for (String address : addresses) {
            hostAndPort(name, address);
        }
        require(destination != null && !destination.isBlank(), "source " + name + ": destination must be set");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        filter = filter == null ? "" : filter;
        Objects.requireNonNull(clientId, "clientId");
        try {
            short id = Short.parseShort(clientId);
            require(id > 0, "");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source " + name + ": clientId '" + clientId
                    + "' must be a number from 1 to 32767 (the Canal server reads it as a short)", e);
        }
        require(batchSize > 0, "source " + name + ": batchSize must be positive");
        require(positive(fetchTimeout), "source " + name + ": fetchTimeout must be positive");
        require(prefetch > 0, "source " + name + ": prefetch must be at least 1");
        require(maxFrameSize > 4, "source " + name + ": maxFrameSize is too small");
        require(positive(connectTimeout), "source " + name + ": connectTimeout must be positive");
        require(positive(readTimeout), "source " + name + ": readTimeout must be positive");
        require(positive(serverIdleTimeout), "source " + name + ": serverIdleTimeout must be positive");
        require(positive(reconnectBackoff), "source " + name + ": reconnectBackoff must be positive");
        require(maxReconnectBackoff != null && maxReconnectBackoff.compareTo(reconnectBackoff) >= 0,
                "source " + name + ": maxReconnectBackoff must be at least reconnectBackoff");
        require(maxReconnectAttempts >= ReconnectPolicy.FOREVER, "source " + name + ": maxReconnectAttempts must be"
                + " at least 0, or ReconnectPolicy.FOREVER (" + ReconnectPolicy.FOREVER + ") to keep trying");
        Objects.requireNonNull(serverZone, "serverZone");
        Objects.requireNonNull(zeroDates, "zeroDates");
    }

    /** Defaults: user/password empty, clientId 1001, server filter, batch 1000, 20 ms fetch wait, prefetch 2, 16 MiB. */
    public static Builder builder(String name, String destination) {
        return new Builder(name, destination);
    }

    /** The reconnect policy these settings describe. */
    public ReconnectPolicy reconnectPolicy() {
        return ReconnectPolicy.of(reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts);
    }

    /** The filter actually sent on subscribe. */
    public String subscribeFilter() {
        return useServerFilter ? "" : filter;
    }

    /** {@code host:port} split; IPv6 literals in brackets. */
    static HostAndPort hostAndPort(String name, @Nullable String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("source " + name + ": address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon).trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1).trim());
            require(port > 0 && port < 65536, "");
            return new HostAndPort(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source " + name + ": address '" + address + "' has no valid port", e);
        }
    }

    record HostAndPort(String host, int port) {
        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    private static boolean positive(@Nullable Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    public static final class Builder {
        private final String name;
        private final String destination;
        private final List<String> addresses = new ArrayList<>();
        private @Nullable String username = "";
        private @Nullable String password = "";
        private String clientId = "1001";
        private @Nullable String filter = "";
        private boolean useServerFilter = true;
        private int batchSize = 1000;
        private Duration fetchTimeout = Duration.ofMillis(20);
        private int prefetch = 2;
        private int maxFrameSize = 16 * 1024 * 1024;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration serverIdleTimeout = Duration.ofMinutes(30);
        private Duration reconnectBackoff = Duration.ofMillis(200);
        private Duration maxReconnectBackoff = Duration.ofSeconds(30);
        private int maxReconnectAttempts = ReconnectPolicy.FOREVER;
        private ZoneId serverZone = ZoneId.systemDefault();
        private ZeroDatePolicy zeroDates = ZeroDatePolicy.NULL;
        private @Nullable String zooKeeper;
        private Duration zooKeeperSessionTimeout = Duration.ofSeconds(30);

        private Builder(String name, String destination) {
            this.name = name;
            this.destination = destination;
        }

        public Builder address(String hostPort) {
            addresses.add(hostPort);
            return this;
        }

        public Builder addresses(List<String> hostPorts) {
            addresses.addAll(hostPorts);
            return this;
        }

        public Builder credentials(@Nullable String username, @Nullable String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Subscribe with this filter, replacing the destination's filter on the server. */
        public Builder filter(@Nullable String filter) {
            this.filter = filter;
            this.useServerFilter = false;
            return this;
        }

        public Builder useServerFilter(boolean useServerFilter) {
            this.useServerFilter = useServerFilter;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder fetchTimeout(Duration fetchTimeout) {
            this.fetchTimeout = fetchTimeout;
            return this;
        }

        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public Builder maxFrameSize(int maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        public Builder serverIdleTimeout(Duration serverIdleTimeout) {
            this.serverIdleTimeout = serverIdleTimeout;
            return this;
        }

        /** How the source reconnects (the same policy type every source takes). */
        public Builder reconnect(ReconnectPolicy policy) {
            reconnectBackoff(policy.initialBackoff(), policy.maxBackoff());
            return maxReconnectAttempts(policy.isUnlimited() ? ReconnectPolicy.FOREVER : policy.maxAttempts());
        }

        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectBackoff = initial;
            this.maxReconnectBackoff = max;
            return this;
        }

        /** Failed attempts in a row before the source fails: 0 or more, or {@link ReconnectPolicy#FOREVER}. */
        public Builder maxReconnectAttempts(int maxReconnectAttempts) {
            this.maxReconnectAttempts = maxReconnectAttempts;
            return this;
        }

        public Builder serverZone(ZoneId serverZone) {
            this.serverZone = serverZone;
            return this;
        }

        public Builder zeroDates(ZeroDatePolicy zeroDates) {
            this.zeroDates = zeroDates;
            return this;
        }

        /**
         * Finds the Canal server that runs the destination in Canal's ZooKeeper registry (servers in cluster mode,
         * {@code canal.zkServers}) instead of at fixed addresses, and follows it when another server takes over.
         *
         * @param connectString the ensemble, {@code host:port[,host:port...]}, with Canal's chroot if it has one
         */
        public Builder zooKeeper(@Nullable String connectString) {
            this.zooKeeper = connectString;
            return this;
        }

        public Builder zooKeeperSessionTimeout(Duration sessionTimeout) {
            this.zooKeeperSessionTimeout = sessionTimeout;
            return this;
        }

        public CanalSettings build() {
            return new CanalSettings(name, addresses, destination, username, password, clientId, filter,
                    useServerFilter, batchSize, fetchTimeout, prefetch, maxFrameSize, connectTimeout, readTimeout,
                    serverIdleTimeout, reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts, serverZone,
                    zeroDates, zooKeeper, zooKeeperSessionTimeout);
        }
    }
}
