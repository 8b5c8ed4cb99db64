package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.autoconfigure.SourceProperties.StartMode;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.snapshot.SnapshotMode;
import dev.canalboot.snapshot.SnapshotSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslStoreBundle;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which binlog source settings come out of which {@code canal.source(s)} properties, TLS from an SSL bundle or
 * from store files, and the errors for a bundle that cannot be found. Mapping of the remaining keys and checkpoint
 * resumption: {@link SourceFactoriesTest}.
 */
class BinlogSourceFactoryTest {

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    private static SourceProperties binlog() {
        SourceProperties source = new SourceProperties();
        source.setHost("db1");
        source.setUsername("repl");
        source.setPassword("pw");
        return source;
    }

    private static CanalProperties named(String name, SourceProperties source) {
        CanalProperties properties = new CanalProperties();
        properties.getSources().put(name, source);
        return properties;
    }

    private static SslBundle bundle(boolean withKeyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return SslBundle.of(SslStoreBundle.of(withKeyStore ? store : null, withKeyStore ? "kpw" : null, store));
    }

    private BinlogSourceFactory factoryWithBundles(Map<String, SslBundle> bundles) {
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
        bundles.forEach(registry::registerBundle);
        beans.registerSingleton("sslBundles", registry);
        return new BinlogSourceFactory(beans.getBeanProvider(CheckpointStore.class), beans.getBeanProvider(SslBundles.class));
    }

    private static TlsSettings tlsOf(Object source) {
        return ((BinlogChangeSource) source).settings().connection().tls();
    }

    @Test
    void itMakesBinlogSources() {
        BinlogSourceFactory factory = new BinlogSourceFactory(beans.getBeanProvider(CheckpointStore.class));

        assertThat(factory.type()).isEqualTo(SourceType.BINLOG);
        try (BinlogChangeSource source = (BinlogChangeSource) factory.create("orders", binlog(), named("orders", binlog()))) {
            assertThat(source.name()).isEqualTo("orders");
            assertThat(source.settings().connection().host()).isEqualTo("db1");
            assertThat(tlsOf(source).mode()).as("the default mode").isEqualTo(TlsMode.PREFERRED);
            assertThat(tlsOf(source).trustManagers()).isNull();
        }
    }

    @Test
    void aBundleGivesItsTrustManagersAndTheModeStaysTheSources() throws Exception {
        BinlogSourceFactory factory = factoryWithBundles(Map.of("db-tls", bundle(false)));
        SourceProperties source = binlog();
        source.getSsl().setBundle("db-tls");
        source.getSsl().setMode(TlsMode.VERIFY_CA);

        try (BinlogChangeSource created = (BinlogChangeSource) factory.create("orders", source, named("orders", source))) {
            TlsSettings tls = tlsOf(created);
            assertThat(tls.mode()).isEqualTo(TlsMode.VERIFY_CA);
            assertThat(tls.trustManagers()).isNotNull();
            assertThat(tls.keyManagers()).as("a bundle without key store presents no client certificate").isNull();
        }
    }

    @Test
    void aBundleWithAKeyStoreAlsoGivesKeyManagers() throws Exception {
        BinlogSourceFactory factory = factoryWithBundles(Map.of("db-mtls", bundle(true)));
        SourceProperties source = binlog();
        source.getSsl().setBundle("db-mtls");
        source.getSsl().setMode(TlsMode.REQUIRED);

        try (BinlogChangeSource created = (BinlogChangeSource) factory.create("orders", source, named("orders", source))) {
            assertThat(tlsOf(created).mode()).isEqualTo(TlsMode.REQUIRED);
            assertThat(tlsOf(created).trustManagers()).isNotNull();
            assertThat(tlsOf(created).keyManagers()).isNotNull();
        }
    }

    @Test
    void anUndefinedBundleFailsNamingTheSourcesBundleProperty() throws Exception {
        BinlogSourceFactory factory = factoryWithBundles(Map.of("other", bundle(false)));
        SourceProperties source = binlog();
        source.getSsl().setBundle("db-tls");

        assertThatThrownBy(() -> factory.create("orders", source, named("orders", source)))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.orders.ssl.bundle");
                    assertThat(e.getMessage()).contains("'db-tls'").contains("spring.ssl.bundle");
                });
    }

    @Test
    void aBundleWithoutAnySslBundlesFailsNamingTheSingleSourcesProperty() {
        BinlogSourceFactory factory = new BinlogSourceFactory(beans.getBeanProvider(CheckpointStore.class));
        SourceProperties source = binlog();
        source.getSsl().setBundle("db-tls");
        CanalProperties properties = new CanalProperties();
        properties.setSource(source);

        assertThatThrownBy(() -> factory.create(CanalProperties.DEFAULT_SOURCE_NAME, source, properties))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.source.ssl.bundle");
                    assertThat(e.getMessage()).contains("'db-tls'").contains("spring.ssl.bundle");
                });
    }

    @Test
    void storeKeysGiveStoreFilesWithTheirPasswordsAndTypes() {
        SourceProperties source = binlog();
        source.getSsl().setMode(TlsMode.VERIFY_IDENTITY);
        source.getSsl().setKeyStore(Path.of("/etc/client.jks"));
        source.getSsl().setKeyStorePassword("kpw");
        source.getSsl().setKeyStoreType("JKS");

        TlsSettings tls = BinlogSourceFactory.settings("orders", source, new CanalProperties()).connection().tls();

        assertThat(tls.mode()).isEqualTo(TlsMode.VERIFY_IDENTITY);
        assertThat(tls.keyStore()).isEqualTo(Path.of("/etc/client.jks"));
        assertThat(tls.keyStorePassword()).containsExactly('k', 'p', 'w');
        assertThat(tls.keyStoreType()).isEqualTo("JKS");
        assertThat(tls.trustStore()).isNull();
        assertThat(tls.trustStorePassword()).as("no password set").isNull();
        assertThat(tls.trustManagers()).isNull();
    }

    @Test
    void aGtidStartIsTrimmedAndReadAsMySqlOrMariaDbByItsShape() {
        SourceProperties source = binlog();
        source.getStart().setMode(StartMode.GTID);
        source.getStart().setGtidSet(" 0-1-42,1-2-7 ");

        assertThat(BinlogSourceFactory.settings("s", source, new CanalProperties()).start())
                .isEqualTo(new StartPosition.MariaDbGtids("0-1-42,1-2-7"));
    }

    @Test
    void theSnapshotGroupBecomesSnapshotSettingsNeverWhenNoModeIsSet() {
        SourceProperties.Snapshot snapshot = new SourceProperties().getSnapshot();
        snapshot.setMode(null);
        snapshot.setTables(List.of("shop.orders"));
        snapshot.setChunkSize(100);
        snapshot.setKeyColumns(Map.of("shop.orders", List.of("order_no")));

        SnapshotSettings settings = BinlogSourceFactory.snapshotSettings("s", snapshot);

        assertThat(settings.mode()).isEqualTo(SnapshotMode.NEVER);
        assertThat(settings.tables()).containsExactly("shop.orders");
        assertThat(settings.chunkSize()).isEqualTo(100);
        assertThat(settings.keyColumns()).containsEntry("shop.orders", List.of("order_no"));
        snapshot.setMode(SnapshotMode.INITIAL);
        assertThat(BinlogSourceFactory.snapshotSettings("s", snapshot).mode()).isEqualTo(SnapshotMode.INITIAL);
    }
}
