package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.source.ReconnectPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link CanalSourceFactory} turns {@code canal.source(s)} properties into a Canal source: its settings, the
 * server-side or client-side filter, ZooKeeper in place of addresses, and the upstream watch (no server needed).
 */
class CanalSourceFactoryTest {

    @Test
    void makesCanalSources() {
        assertThat(new CanalSourceFactory().type()).isEqualTo(SourceType.CANAL);
    }

    @Test
    void canalPropertiesMapOntoSettings() {
        SourceProperties source = new SourceProperties();
        source.setAddresses(List.of(" canal1:11111", "canal2:11112 "));
        source.setDestination("example");
        source.setUsername("canal");
        source.setPassword("pw");
        source.setClientId((short) 7);
        source.setFilter("shop\\..*");
        source.setPrefetch(3);
        source.setBatchSize(200);
        source.setFetchTimeout(Duration.ofMillis(500));
        source.setServerTimeZone(ZoneId.of("Asia/Shanghai"));
        source.getReconnect().setMaxAttempts(0);

        CanalSettings settings = CanalSourceFactory.settings("legacy", source, new CanalProperties());

        assertThat(settings.name()).isEqualTo("legacy");
        assertThat(settings.addresses()).containsExactly("canal1:11111", "canal2:11112");
        assertThat(settings.destination()).isEqualTo("example");
        assertThat(settings.username()).isEqualTo("canal");
        assertThat(settings.password()).isEqualTo("pw");
        assertThat(settings.clientId()).isEqualTo("7");
        assertThat(settings.subscribeFilter()).isEqualTo("shop\\..*");
        assertThat(settings.prefetch()).isEqualTo(3);
        assertThat(settings.batchSize()).isEqualTo(200);
        assertThat(settings.fetchTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.serverZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(settings.maxReconnectAttempts()).as("the deprecated 0 = keep trying")
                .isEqualTo(ReconnectPolicy.FOREVER);
        assertThat(settings.reconnectPolicy().isUnlimited()).isTrue();
        assertThat(settings.zeroDates()).isEqualTo(ZeroDatePolicy.NULL);
    }

    @Test
    void zooKeeperPropertiesMapOntoSettingsInPlaceOfAddresses() {
        SourceProperties source = new SourceProperties();
        source.setDestination("example");
        source.getZookeeper().setConnectString(" zk1:2181,zk2:2181/canal ");
        source.getZookeeper().setSessionTimeout(Duration.ofSeconds(12));

        CanalSettings settings = CanalSourceFactory.settings("legacy", source, new CanalProperties());

        assertThat(settings.addresses()).isEmpty();
        assertThat(settings.zooKeeper()).isEqualTo("zk1:2181,zk2:2181/canal");
        assertThat(settings.zooKeeperSessionTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(CanalSourceFactory.settings("plain", canalWithAddress(), new CanalProperties()).zooKeeper())
                .isNull();
    }

    private static SourceProperties canalWithAddress() {
        SourceProperties source = new SourceProperties();
        source.setAddresses(List.of("canal1:11111"));
        source.setDestination("example");
        return source;
    }

    @Test
    void upstreamPropertiesMakeTheCanalSourceWatchTheDatabase() {
        SourceProperties source = new SourceProperties();
        source.setType(SourceProperties.SourceType.CANAL);
        source.setAddresses(List.of("canal1:11111"));
        source.setDestination("example");
        CanalSourceFactory factory = new CanalSourceFactory();
        try (CanalChangeSource unwatched = (CanalChangeSource)
                factory.create("s", source, new CanalProperties())) {
            assertThat(unwatched.stallTimeout()).isNull();
        }
        source.getUpstream().setHost("db1");
        source.getUpstream().setUsername("monitor");
        source.getUpstream().setStallTimeout(Duration.ofSeconds(30));
        try (CanalChangeSource watched = (CanalChangeSource)
                factory.create("s", source, new CanalProperties())) {
            assertThat(watched.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
        }
        source.getUpstream().setStallTimeout(Duration.ofSeconds(5));
        assertThatThrownBy(() -> factory.create("s", source, new CanalProperties()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT5S").hasMessageContaining("PT10S");
    }

    @Test
    void canalSourceKeepsTheServerFilterWhenAskedOrWhenNoFilterIsSet() {
        SourceProperties source = new SourceProperties();
        source.setAddresses(List.of("canal1:11111"));
        source.setDestination("example");
        assertThat(CanalSourceFactory.settings("s", source, new CanalProperties()).useServerFilter()).isTrue();
        source.setFilter("shop\\..*");
        source.setUseServerFilter(true);
        CanalSettings settings = CanalSourceFactory.settings("s", source, new CanalProperties());
        assertThat(settings.useServerFilter()).isTrue();
        assertThat(settings.subscribeFilter()).isEmpty();
    }

    @Test
    void timeoutsBackoffZeroDatesAndNamesAreTakenAndTrimmed() {
        SourceProperties source = canalWithAddress();
        source.setDestination(" example ");
        source.setConnectTimeout(Duration.ofSeconds(3));
        source.setReadTimeout(Duration.ofSeconds(40));
        source.getReconnect().setInitialInterval(Duration.ofMillis(250));
        source.getReconnect().setMaxInterval(Duration.ofSeconds(9));
        source.getReconnect().setMaxAttempts(4);
        source.setFilter("  shop\\.orders  ");
        CanalProperties properties = new CanalProperties();
        properties.setZeroDates(ZeroDatePolicy.ERROR);

        CanalSettings settings = CanalSourceFactory.settings("legacy", source, properties);

        assertThat(settings.destination()).isEqualTo("example");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(settings.reconnectBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.maxReconnectBackoff()).isEqualTo(Duration.ofSeconds(9));
        assertThat(settings.maxReconnectAttempts()).isEqualTo(4);
        assertThat(settings.zeroDates()).isEqualTo(ZeroDatePolicy.ERROR);
        assertThat(settings.useServerFilter()).isFalse();
        assertThat(settings.subscribeFilter()).isEqualTo("shop\\.orders");
    }

    @Test
    void withoutATimeZoneTheCanalServerIsTakenToRunInThisJvmsZone() {
        assertThat(CanalSourceFactory.settings("s", canalWithAddress(), new CanalProperties()).serverZone())
                .isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void aBlankFilterLeavesTheServersFilter() {
        SourceProperties source = canalWithAddress();
        source.setFilter("   ");
        CanalSettings settings = CanalSourceFactory.settings("s", source, new CanalProperties());
        assertThat(settings.useServerFilter()).isTrue();
        assertThat(settings.subscribeFilter()).isEmpty();
    }

    @Test
    void aBlankUpstreamHostWatchesNothing() {
        SourceProperties source = canalWithAddress();
        source.getUpstream().setHost("   ");
        source.getUpstream().setStallTimeout(Duration.ofSeconds(5)); // would be refused if it were used
        try (CanalChangeSource canal = (CanalChangeSource) new CanalSourceFactory().create("s", source,
                new CanalProperties())) {
            assertThat(canal.stallTimeout()).isNull();
        }
    }
}
