package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.StartMode;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogCheckpoint;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointStore;
import dev.canalboot.checkpoint.FileCheckpointStore;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.source.ReconnectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How source properties become the settings of the binlog source, and what both source types share (no server
 * needed). The Canal source's own mapping: {@link CanalSourceFactoryTest}.
 */
class SourceFactoriesTest {

    @TempDir
    Path checkpoints;

    private static SourceProperties binlog() {
        SourceProperties source = new SourceProperties();
        source.setHost("db1");
        source.setPort(3307);
        source.setUsername("repl");
        source.setPassword("pw");
        return source;
    }

    @Test
    void binlogPropertiesMapOntoSettings() {
        SourceProperties source = binlog();
        source.setServerId(4242L);
        source.getSsl().setMode(TlsMode.VERIFY_CA);
        source.getSsl().setTrustStore(Path.of("/etc/trust.p12"));
        source.getSsl().setTrustStorePassword("tpw");
        source.setHeartbeatInterval(Duration.ofSeconds(5));
        source.setReadTimeout(Duration.ofSeconds(20));
        source.setConnectTimeout(Duration.ofSeconds(3));
        source.setBatchSize(50);
        source.setQueueCapacity(4);
        source.getReconnect().setInitialInterval(Duration.ofMillis(100));
        source.getReconnect().setMaxInterval(Duration.ofSeconds(5));
        source.getReconnect().setMaxAttempts(7);
        source.setSemiSync(true);
        CanalProperties properties = new CanalProperties();
        properties.setZeroDates(ZeroDatePolicy.ERROR);

        BinlogSourceSettings settings = BinlogSourceFactory.settings("orders", source, properties);

        assertThat(settings.name()).isEqualTo("orders");
        assertThat(settings.connection().host()).isEqualTo("db1");
        assertThat(settings.connection().port()).isEqualTo(3307);
        assertThat(settings.connection().user()).isEqualTo("repl");
        assertThat(settings.connection().password()).isEqualTo("pw");
        assertThat(settings.connection().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.connection().tls().mode()).isEqualTo(TlsMode.VERIFY_CA);
        assertThat(settings.connection().tls().trustStore()).isEqualTo(Path.of("/etc/trust.p12"));
        assertThat(settings.connection().tls().trustStorePassword()).containsExactly('t', 'p', 'w');
        assertThat(settings.connection().tls().trustStoreType()).isEqualTo("PKCS12");
        assertThat(settings.serverId()).isEqualTo(4242L);
        assertThat(settings.start()).isInstanceOf(StartPosition.Latest.class);
        assertThat(settings.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.batchSize()).isEqualTo(50);
        assertThat(settings.queueCapacity()).isEqualTo(4);
        assertThat(settings.reconnectBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.maxReconnectBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxReconnectAttempts()).isEqualTo(7);
        assertThat(settings.zeroDates()).isEqualTo(ZeroDatePolicy.ERROR);
        assertThat(settings.semiSync()).isTrue();
    }

    @Test
    void bothSourceTypesKeepReconnectingForMinusOneTheDefaultAndTheDeprecatedZero() {
        for (int configured : new int[]{ReconnectPolicy.FOREVER, 0}) {
            SourceProperties binlog = binlog();
            binlog.getReconnect().setMaxAttempts(configured);
            SourceProperties canal = new SourceProperties();
            canal.setAddresses(List.of("canal1:11111"));
            canal.setDestination("example");
            canal.getReconnect().setMaxAttempts(configured);
            assertThat(BinlogSourceFactory.settings("b", binlog, new CanalProperties()).reconnectPolicy().isUnlimited())
                    .as("binlog, %d", configured).isTrue();
            assertThat(CanalSourceFactory.settings("c", canal, new CanalProperties()).reconnectPolicy().isUnlimited())
                    .as("canal, %d", configured).isTrue();
        }
        assertThat(BinlogSourceFactory.settings("b", binlog(), new CanalProperties()).reconnectPolicy().isUnlimited())
                .as("default").isTrue();
        SourceProperties limited = binlog();
        limited.getReconnect().setMaxAttempts(2);
        assertThat(BinlogSourceFactory.settings("b", limited, new CanalProperties()).reconnectPolicy().maxAttempts())
                .isEqualTo(2);
    }

    @Test
    void serverIdIsChosenInTheReplicaRangeWhenNotSet() {
        BinlogSourceSettings settings = BinlogSourceFactory.settings("orders", binlog(), new CanalProperties());
        assertThat(settings.serverId()).isBetween(65536L, 2147483647L);
    }

    @Test
    void startModesMapOntoStartPositions() {
        SourceProperties source = binlog();
        source.getStart().setMode(StartMode.POSITION);
        source.getStart().setFile("mysql-bin.000003");
        source.getStart().setPosition(1234);
        assertThat(BinlogSourceFactory.settings("s", source, new CanalProperties()).start())
                .isEqualTo(new StartPosition.FilePosition("mysql-bin.000003", 1234));

        source.getStart().setMode(StartMode.EARLIEST);
        assertThat(BinlogSourceFactory.settings("s", source, new CanalProperties()).start())
                .isInstanceOf(StartPosition.Earliest.class);

        source.getStart().setMode(StartMode.GTID);
        source.getStart().setGtidSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
        assertThat(BinlogSourceFactory.settings("s", source, new CanalProperties()).start())
                .isEqualTo(new StartPosition.MySqlGtids(GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5")));

        source.getStart().setGtidSet("0-1-42");
        assertThat(BinlogSourceFactory.settings("s", source, new CanalProperties()).start())
                .isEqualTo(new StartPosition.MariaDbGtids("0-1-42"));
    }

    @Test
    void storedCheckpointIsWhereTheSourceResumesUnlessCheckpointWinsIsOff() {
        FileCheckpointStore store = new FileCheckpointStore(checkpoints);
        store.save(new Checkpoint("orders", "binlog.000007", 4711, "0-1-99", Instant.now()));
        BinlogSourceFactory factory = factory(store);

        ChangeSource resumed = factory.create("orders", binlog(), new CanalProperties());
        BinlogCheckpoint position = ((BinlogChangeSource) resumed).acknowledgedPosition();
        assertThat(position.file()).isEqualTo("binlog.000007");
        assertThat(position.position()).isEqualTo(4711);

        SourceProperties ignoring = binlog();
        ignoring.setCheckpointWins(false);
        ChangeSource fresh = factory.create("orders", ignoring, new CanalProperties());
        assertThat(((BinlogChangeSource) fresh).acknowledgedPosition()).isNull();
    }

    @Test
    void withoutStoreTheSourceStartsAtTheConfiguredStart() {
        ChangeSource source = factory(null).create("orders", binlog(), new CanalProperties());
        assertThat(((BinlogChangeSource) source).acknowledgedPosition()).isNull();
    }

    private static BinlogSourceFactory factory(CheckpointStore store) {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        if (store != null) {
            beanFactory.registerSingleton("store", store);
        }
        return new BinlogSourceFactory(beanFactory.getBeanProvider(CheckpointStore.class));
    }
}
