package dev.canalboot.source;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectPolicyTest {

    @Test
    void theWaitDoublesFromTheFirstUpToTheLongest() {
        ReconnectPolicy policy = ReconnectPolicy.unlimited(Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(1_000_000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUnlimitedPolicyIsNeverExhaustedAndSaysSo() {
        ReconnectPolicy policy = ReconnectPolicy.unlimited(Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(policy.isUnlimited()).isTrue();
        assertThat(policy.exhausted(Integer.MAX_VALUE)).isFalse();
        assertThat(policy.describe(7)).isEqualTo("attempt 7, no limit");
    }

    @Test
    void aLimitedPolicyIsExhaustedAfterItsLastAttempt() {
        ReconnectPolicy policy = ReconnectPolicy.limited(Duration.ofSeconds(1), Duration.ofSeconds(30), 2);
        assertThat(policy.exhausted(2)).isFalse();
        assertThat(policy.exhausted(3)).isTrue();
        assertThat(policy.describe(2)).isEqualTo("attempt 2 of 2");
        assertThat(ReconnectPolicy.limited(Duration.ofSeconds(1), Duration.ofSeconds(1), 0).exhausted(1)).isTrue();
    }

    @Test
    void foreverIsTheOneNumberForNoLimitInBothSourcesSettings() {
        assertThat(ReconnectPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(2), ReconnectPolicy.FOREVER)
                .isUnlimited()).isTrue();
        assertThat(ReconnectPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(2), 0).exhausted(1))
                .as("0: no reconnect").isTrue();
        assertThatThrownBy(() -> ReconnectPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(2), -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ReconnectPolicy.FOREVER");
        ReconnectPolicy forever = ReconnectPolicy.unlimited(Duration.ofMillis(100), Duration.ofSeconds(3));
        ReconnectPolicy three = ReconnectPolicy.limited(Duration.ofMillis(100), Duration.ofSeconds(3), 3);
        for (ReconnectPolicy policy : new ReconnectPolicy[]{forever, three}) {
            assertThat(dev.canalboot.binlog.BinlogSourceSettings.builder("b", "db1", 3306, "u", "p")
                    .reconnect(policy).build().reconnectPolicy()).isEqualTo(policy);
            assertThat(dev.canalboot.canal.CanalSettings.builder("c", "example").address("canal1:11111")
                    .reconnect(policy).build().reconnectPolicy()).isEqualTo(policy);
        }
        assertThat(dev.canalboot.binlog.BinlogSourceSettings.builder("b", "db1", 3306, "u", "p").build()
                .reconnectPolicy().isUnlimited()).as("binlog default").isTrue();
        assertThat(dev.canalboot.canal.CanalSettings.builder("c", "example").address("canal1:11111").build()
                .reconnectPolicy().isUnlimited()).as("canal default").isTrue();
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThatThrownBy(() -> ReconnectPolicy.limited(Duration.ofSeconds(1), Duration.ofSeconds(1), -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReconnectPolicy.unlimited(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReconnectPolicy.unlimited(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter");
    }
}
