package dev.canalboot.canal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanalSettingsTest {

    @Test
    void defaultsUseTheServerFilter() {
        CanalSettings settings = CanalSettings.builder("orders", "example").address("canal:11111").build();
        assertThat(settings.useServerFilter()).isTrue();
        assertThat(settings.subscribeFilter()).isEmpty();
        assertThat(settings.clientId()).isEqualTo("1001");
        assertThat(settings.prefetch()).isEqualTo(2);
    }

    @Test
    void anOwnFilterIsSentUnlessTheServerFilterIsForced() {
        CanalSettings own = CanalSettings.builder("o", "d").address("h:1").filter("shop\\..*").build();
        assertThat(own.subscribeFilter()).isEqualTo("shop\\..*");
        CanalSettings forced = CanalSettings.builder("o", "d").address("h:1").filter("shop\\..*")
                .useServerFilter(true).build();
        assertThat(forced.subscribeFilter()).isEmpty();
    }

    @Test
    void clientIdMustBeAShortTheServerCanParse() {
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1").clientId("abc").build())
                .hasMessageContaining("source o").hasMessageContaining("clientId 'abc'");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1").clientId("40000").build())
                .hasMessageContaining("1 to 32767");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1").clientId("0").build())
                .hasMessageContaining("1 to 32767");
    }

    @Test
    void addressesMustBeHostAndPort() {
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").build()).hasMessageContaining("at least one address");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("canal").build())
                .hasMessageContaining("'canal' is not host:port");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("canal:x").build())
                .hasMessageContaining("'canal:x' has no valid port");
        assertThat(CanalSettings.hostAndPort("o", "[::1]:11111")).hasToString("[::1]:11111");
    }

    @Test
    void aZooKeeperRegistryTakesThePlaceOfAddressesNotBoth() {
        CanalSettings registry = CanalSettings.builder("o", "d").zooKeeper(" zk1:2181,zk2:2181 ").build();
        assertThat(registry.addresses()).isEmpty();
        assertThat(registry.zooKeeper()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(CanalSettings.builder("o", "d").address("h:1").zooKeeper(" ").build().zooKeeper()).isNull();
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1").zooKeeper("zk:2181").build())
                .hasMessageContaining("either addresses [h:1] or a ZooKeeper (zk:2181)");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").zooKeeper("zk:2181")
                .zooKeeperSessionTimeout(Duration.ZERO).build()).hasMessageContaining("zooKeeperSessionTimeout");
    }

    @Test
    void timingsMustBePositive() {
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1").fetchTimeout(Duration.ZERO).build())
                .hasMessageContaining("fetchTimeout");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1").prefetch(0).build())
                .hasMessageContaining("prefetch");
        assertThatThrownBy(() -> CanalSettings.builder("o", "d").address("h:1")
                .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxReconnectBackoff");
    }
}
