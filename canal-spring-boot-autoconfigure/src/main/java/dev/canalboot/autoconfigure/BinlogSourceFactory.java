package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.autoconfigure.SourceProperties.Ssl;
import dev.canalboot.autoconfigure.SourceProperties.Start;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotSettings;
import dev.canalboot.source.ChangeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates {@link BinlogChangeSource}s from {@code canal.source(s)} properties. With a {@link CheckpointStore}
 * bean, the stored position is where the source resumes (unless {@code checkpoint-wins=false}) and
 * acknowledged transaction ends are saved to it (every one, or once per {@code canal.checkpoint.commit-interval}).
 */
class BinlogSourceFactory implements ChangeSourceFactory {

    private static final Logger log = LoggerFactory.getLogger(BinlogSourceFactory.class);

    private final ObjectProvider<CheckpointStore> checkpointStore;
    private final ObjectProvider<SslBundles> sslBundles;

    BinlogSourceFactory(ObjectProvider<CheckpointStore> checkpointStore) {
        this(checkpointStore, null);
    }

    /** @param sslBundles where {@code ssl.bundle} names are looked up; null: none */
    BinlogSourceFactory(ObjectProvider<CheckpointStore> checkpointStore, ObjectProvider<SslBundles> sslBundles) {
        this.checkpointStore = checkpointStore;
        this.sslBundles = sslBundles;
    }

    @Override
    public SourceType type() {
        return SourceType.BINLOG;
    }

    @Override
    public ChangeSource create(String name, SourceProperties source, CanalProperties properties) {
        BinlogSourceSettings settings = settings(name, source, properties);
        if (source.getSsl().getBundle() != null) {
            settings = settings.toBuilder().tls(bundleTls(ConfiguredSourcesRegistrar.prefixOf(properties, name),
                    source.getSsl())).build();
        }
        SnapshotSettings snapshots = snapshotSettings(name, source.getSnapshot());
        CheckpointStore store = checkpointStore.getIfUnique();
        BinlogChangeSource created;
        if (store == null) {
            log.info("Binlog source '{}' has no checkpoint store: it starts at {} on every start", name,
                    settings.start());
            created = new BinlogChangeSource(settings);
        } else {
            created = new BinlogChangeSource(settings, store,
                    new CheckpointPolicy(source.isCheckpointWins(), properties.getCheckpoint().getCommitInterval()));
        }
        created.snapshots(snapshots);
        return created;
    }

    /** The snapshot group as settings ({@link SourcePropertiesValidator} checked it). */
    static SnapshotSettings snapshotSettings(String name, SourceProperties.Snapshot snapshot) {
        return new SnapshotSettings(snapshot.getMode() == null ? SnapshotMode.NEVER : snapshot.getMode(),
                snapshot.getTables(), snapshot.getChunkSize(), snapshot.getKeyColumns());
    }

    static BinlogSourceSettings settings(String name, SourceProperties source, CanalProperties properties) {
        long serverId = source.getServerId() != null ? source.getServerId()
                // Random by default: two applications (or two runs) never share a replica id by accident.
                : ThreadLocalRandom.current().nextLong(65536, 2147483648L);
        ZeroDatePolicy zeroDates = properties.getZeroDates();
        return BinlogSourceSettings.builder(name, source.getHost(), source.getPort(), source.getUsername(),
                        source.getPassword())
                .tls(tls(source.getSsl()))
                .connectTimeout(source.getConnectTimeout())
                .serverId(serverId)
                .start(start(source.getStart()))
                .heartbeatPeriod(source.getHeartbeatInterval())
                .readTimeout(source.getReadTimeout())
                .batchSize(source.getBatchSize())
                .queueCapacity(source.getQueueCapacity())
                .reconnect(source.getReconnect().getInitialInterval(), source.getReconnect().getMaxInterval(),
                        source.getReconnect().effectiveMaxAttempts())
                .zeroDates(zeroDates)
                .semiSync(source.isSemiSync())
                .rowDecoding(source.getRowDecoding())
                .build();
    }

    /** TLS with the trust and key managers of the SSL bundle {@code ssl.bundle}. */
    private TlsSettings bundleTls(String prefix, Ssl ssl) {
        SslBundle bundle = SslBundleLookup.find(sslBundles == null ? null : sslBundles.getIfAvailable(),
                ssl.getBundle(), prefix + ".ssl.bundle");
        SslManagerBundle managers = bundle.getManagers();
        boolean hasKey = bundle.getStores().getKeyStore() != null;
        return TlsSettings.of(ssl.getMode()).withManagers(managers.getTrustManagerFactory(),
                hasKey ? managers.getKeyManagerFactory() : null);
    }

    private static TlsSettings tls(Ssl ssl) {
        return new TlsSettings(ssl.getMode(), ssl.getTrustStore(), chars(ssl.getTrustStorePassword()),
                ssl.getTrustStoreType(), ssl.getKeyStore(), chars(ssl.getKeyStorePassword()), ssl.getKeyStoreType());
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    private static StartPosition start(Start start) {
        return switch (start.getMode()) {
            case LATEST -> new StartPosition.Latest();
            case EARLIEST -> new StartPosition.Earliest();
            case POSITION -> new StartPosition.FilePosition(start.getFile(), start.getPosition());
            // MySQL GTID sets name server UUIDs followed by ':'; MariaDB positions are domain-server-seq.
            case GTID -> start.getGtidSet().contains(":")
                    ? new StartPosition.MySqlGtids(GtidSet.parse(start.getGtidSet().trim()))
                    : new StartPosition.MariaDbGtids(start.getGtidSet().trim());
        };
    }
}
