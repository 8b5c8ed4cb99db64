package dev.canalboot.binlog;

import dev.canalboot.source.ReconnectPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builder's defaults and the checks every settings object passes, through the public API only. */
class BinlogSourceSettingsTest {

    private static BinlogSourceSettings.Builder builder() {
        return BinlogSourceSettings.builder("orders", "db.example", 3306, "repl", "secret");
    }

    @Test
    void defaults() {
        BinlogSourceSettings s = builder().build();
        assertThat(s.name()).isEqualTo("orders");
        assertThat(s.serverId()).isEqualTo(65535);
        assertThat(s.start()).isEqualTo(new StartPosition.Latest());
        assertThat(s.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.batchSize()).isEqualTo(1000);
        assertThat(s.queueCapacity()).isEqualTo(8);
        assertThat(s.semiSync()).isFalse();
        assertThat(s.rowDecoding()).isEqualTo(RowDecoding.CONNECTION_THREAD);
        ReconnectPolicy reconnect = s.reconnectPolicy();
        assertThat(reconnect.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(reconnect.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(reconnect.isUnlimited()).isTrue();
    }

    @Test
    void toBuilderKeepsEverySetting() {
        BinlogSourceSettings s = builder().serverId(4242).heartbeatPeriod(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5)).batchSize(10).queueCapacity(2)
                .reconnect(ReconnectPolicy.limited(Duration.ofMillis(100), Duration.ofSeconds(1), 3))
                .semiSync(true).rowDecoding(RowDecoding.ADAPTIVE).build();
        BinlogSourceSettings copy = s.toBuilder().build();
        assertThat(copy).isEqualTo(s);
        assertThat(copy.reconnectPolicy().maxAttempts()).isEqualTo(3);
        assertThat(copy.reconnectPolicy().isUnlimited()).isFalse();
        assertThat(s.toBuilder().batchSize(11).build().batchSize()).isEqualTo(11);
    }

    @Test
    void theServerIdMustFitFourUnsignedBytes() {
        assertThat(builder().serverId(1).build().serverId()).isEqualTo(1);
        assertThat(builder().serverId(4_294_967_295L).build().serverId()).isEqualTo(4_294_967_295L);
        assertThatThrownBy(() -> builder().serverId(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Source orders: server id 0 is not in 1..4294967295");
        assertThatThrownBy(() -> builder().serverId(4_294_967_296L).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server id 4294967296");
    }

    @Test
    void theReadTimeoutMustExceedTheHeartbeatPeriod() {
        assertThatThrownBy(() -> builder().heartbeatPeriod(Duration.ofSeconds(30)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Source orders: read timeout PT30S must exceed the heartbeat period PT30S");
    }

    @Test
    void batchesAndQueueMustHoldSomething() {
        assertThatThrownBy(() -> builder().batchSize(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Source orders: batch size and queue capacity must be positive");
        assertThatThrownBy(() -> builder().queueCapacity(0).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadReconnectPolicyIsRefusedWhenTheSettingsAreMadeNamingTheSource() {
        assertThatThrownBy(() -> builder().reconnect(Duration.ZERO, Duration.ofSeconds(1), 3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Source orders: the first reconnect wait must be positive");
        assertThatThrownBy(() -> builder().reconnect(Duration.ofSeconds(1), Duration.ofSeconds(1), -2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Source orders: max reconnect attempts must be >= 0");
    }
}
