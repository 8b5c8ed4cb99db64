package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.BinlogDecoderOptions;
import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.source.ReconnectPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link BinlogChangeSource}.
 *
 * @param name             the source's name (logs, metrics, listeners)
 * @param connection       host, port, user, password, TLS, connect timeout
 * @param serverId         this replica's server id: unique among the server's replicas
 * @param start            where to start without an acknowledged position
 * @param heartbeatPeriod  how often an idle server sends a heartbeat
 * @param readTimeout      no data nor heartbeat for this long means the peer is dead: reconnect (must exceed
 *                         the heartbeat period)
 * @param batchSize        events per batch (a batch closes at the first transaction end from here on; a
 *                         transaction larger than twice this is cut)
 * @param queueCapacity    batches read ahead before reading from the server pauses
 * @param reconnectBackoff first wait before reconnecting; doubled each attempt up to {@code maxReconnectBackoff}
 * @param maxReconnectAttempts attempts in a row before the source fails; {@link ReconnectPolicy#FOREVER} keeps
 *                         trying (each attempt is logged), 0 fails at the first lost connection
 * @param zeroDates        what zero dates ({@code 0000-00-00}) decode to
 * @param verifyChecksums  whether the CRC32 trailers of events are verified (whether events carry one is negotiated
 *                         with the server)
 * @param semiSync         register as a semi-synchronous replica: when the server runs semi-sync, a transaction's
 *                         commit on the server waits (up to the server's semi-sync timeout) until the source
 *                         acknowledged it, i.e. its listeners returned and its checkpoint was saved
 * @param rowDecoding      which thread decodes row images (see {@link RowDecoding})
 */
public record BinlogSourceSettings(String name, ConnectionSettings connection, long serverId, StartPosition start,
                                   Duration heartbeatPeriod, Duration readTimeout, int batchSize, int queueCapacity,
                                   Duration reconnectBackoff, Duration maxReconnectBackoff, int maxReconnectAttempts,
                                   ZeroDatePolicy zeroDates, boolean verifyChecksums, boolean semiSync,
                                   RowDecoding rowDecoding) {

    /** Settings without semi-sync. */
    public BinlogSourceSettings(String name, ConnectionSettings connection, long serverId, StartPosition start,
                                Duration heartbeatPeriod, Duration readTimeout, int batchSize, int queueCapacity,
                                Duration reconnectBackoff, Duration maxReconnectBackoff, int maxReconnectAttempts,
                                ZeroDatePolicy zeroDates, boolean verifyChecksums) {
        this(name, connection, serverId, start, heartbeatPeriod, readTimeout, batchSize, queueCapacity, reconnectBackoff,
                maxReconnectBackoff, maxReconnectAttempts, zeroDates, verifyChecksums, false,
                RowDecoding.CONNECTION_THREAD);
    }

    public BinlogSourceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(rowDecoding, "rowDecoding");
        Objects.requireNonNull(zeroDates, "zeroDates");
        if (serverId < 1 || serverId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("Source " + name + ": server id " + serverId
                    + " is not in 1..4294967295");
        }
        if (readTimeout.compareTo(heartbeatPeriod) <= 0) {
            throw new IllegalArgumentException("Source " + name + ": read timeout " + readTimeout
                    + " must exceed the heartbeat period " + heartbeatPeriod);
        }
        if (batchSize < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("Source " + name + ": batch size and queue capacity must be positive");
        }
        try {
            ReconnectPolicy.of(reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts); // here, not at the first loss
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Source " + name + ": " + e.getMessage(), e);
        }
    }

    /** The reconnect policy these settings describe. */
    public ReconnectPolicy reconnectPolicy() {
        return ReconnectPolicy.of(reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts);
    }

    /** The decoder's options these settings describe (whether events carry a checksum is the session's to say). */
    BinlogDecoderOptions decoderOptions(boolean checksumOn) {
        return new BinlogDecoderOptions(checksumOn, zeroDates, verifyChecksums);
    }

    public static Builder builder(String name, String host, int port, String user, String password) {
        return new Builder(name, ConnectionSettings.of(host, port, user, password));
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, connection);
        b.serverId = serverId;
        b.start = start;
        b.heartbeatPeriod = heartbeatPeriod;
        b.readTimeout = readTimeout;
        b.batchSize = batchSize;
        b.queueCapacity = queueCapacity;
        b.reconnectBackoff = reconnectBackoff;
        b.maxReconnectBackoff = maxReconnectBackoff;
        b.maxReconnectAttempts = maxReconnectAttempts;
        b.zeroDates = zeroDates;
        b.verifyChecksums = verifyChecksums;
        b.semiSync = semiSync;
        b.rowDecoding = rowDecoding;
        return b;
    }

    public static final class Builder {
        private final String name;
        private ConnectionSettings connection;
        private long serverId = 65535;
        private StartPosition start = new StartPosition.Latest();
        private Duration heartbeatPeriod = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private int batchSize = 1000;
        private int queueCapacity = 8;
        private Duration reconnectBackoff = Duration.ofSeconds(1);
        private Duration maxReconnectBackoff = Duration.ofSeconds(30);
        private int maxReconnectAttempts = ReconnectPolicy.FOREVER;
        private ZeroDatePolicy zeroDates = ZeroDatePolicy.NULL;
        private boolean verifyChecksums = true;
        private boolean semiSync;
        private RowDecoding rowDecoding = RowDecoding.CONNECTION_THREAD;

        private Builder(String name, ConnectionSettings connection) {
            this.name = name;
            this.connection = connection;
        }

        public Builder tls(TlsSettings tls) {
            connection = connection.withTls(tls);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            connection = new ConnectionSettings(connection.host(), connection.port(), connection.user(),
                    connection.password(), connection.database(), connection.tls(), timeout);
            return this;
        }

        public Builder serverId(long serverId) {
            this.serverId = serverId;
            return this;
        }

        public Builder start(StartPosition start) {
            this.start = start;
            return this;
        }

        public Builder heartbeatPeriod(Duration period) {
            this.heartbeatPeriod = period;
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /** How the source reconnects (the same policy type every source takes). */
        public Builder reconnect(ReconnectPolicy policy) {
            return reconnect(policy.initialBackoff(), policy.maxBackoff(),
                    policy.isUnlimited() ? ReconnectPolicy.FOREVER : policy.maxAttempts());
        }

        /**
         * @param maxAttempts failed attempts in a row before the source fails: 0 or more, or
         *                    {@link ReconnectPolicy#FOREVER} to keep trying
         */
        public Builder reconnect(Duration backoff, Duration maxBackoff, int maxAttempts) {
            this.reconnectBackoff = backoff;
            this.maxReconnectBackoff = maxBackoff;
            this.maxReconnectAttempts = maxAttempts;
            return this;
        }

        /** What zero dates decode to; {@link ZeroDatePolicy#NULL} by default. */
        public Builder zeroDates(ZeroDatePolicy zeroDates) {
            this.zeroDates = zeroDates;
            return this;
        }

        /** Whether event checksums are verified; true by default. */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /** Register as a semi-synchronous replica (see {@link BinlogSourceSettings#semiSync()}). */
        public Builder semiSync(boolean semiSync) {
            this.semiSync = semiSync;
            return this;
        }

        /** Which thread decodes row images (see {@link RowDecoding}); {@link RowDecoding#CONNECTION_THREAD} by default. */
        public Builder rowDecoding(RowDecoding rowDecoding) {
            this.rowDecoding = rowDecoding;
            return this;
        }

        public BinlogSourceSettings build() {
            return new BinlogSourceSettings(name, connection, serverId, start, heartbeatPeriod, readTimeout,
                    batchSize, queueCapacity, reconnectBackoff, maxReconnectBackoff, maxReconnectAttempts,
                    zeroDates, verifyChecksums, semiSync, rowDecoding);
        }
    }
}
