package dev.canalboot.autoconfigure;

import dev.canalboot.source.ReconnectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reconnect limit's one "forever" value, and the old one still accepted with a warning. */
@ExtendWith(OutputCaptureExtension.class)
class SourcePropertiesValidatorTest {

    private static SourceProperties binlog(int maxAttempts) {
        SourceProperties source = new SourceProperties();
        source.setHost("db1");
        source.setUsername("repl");
        source.setPassword("pw");
        source.getReconnect().setMaxAttempts(maxAttempts);
        return source;
    }

    @Test
    void minusOneIsForeverWithoutAWord(CapturedOutput output) {
        SourcePropertiesValidator.validate("orders", "canal.sources.orders", binlog(ReconnectPolicy.FOREVER));
        assertThat(output).doesNotContain("deprecated");
    }

    @Test
    void theOldZeroStillKeepsTryingAndSaysItIsDeprecated(CapturedOutput output) {
        SourcePropertiesValidator.validate("orders", "canal.sources.orders", binlog(0));
        assertThat(output).contains("canal.sources.orders.reconnect.max-attempts=0 keeps source 'orders' reconnecting")
                .contains("deprecated: write -1");
        assertThat(binlog(0).getReconnect().effectiveMaxAttempts()).isEqualTo(ReconnectPolicy.FOREVER);
    }

    private static SourceProperties canalFromZooKeeper() {
        SourceProperties source = new SourceProperties();
        source.setDestination("example");
        source.getZookeeper().setConnectString("zk1:2181,zk2:2181");
        return source;
    }

    @Test
    void aCanalSourceMayFindItsServerInZooKeeperInsteadOfAddresses() {
        SourceProperties source = canalFromZooKeeper();
        assertThat(source.effectiveType()).isEqualTo(SourceProperties.SourceType.CANAL);
        SourcePropertiesValidator.validate("orders", "canal.sources.orders", source);

        SourceProperties alone = new SourceProperties();
        alone.getZookeeper().setConnectString("zk1:2181");
        assertThat(alone.effectiveType()).as("the connect string alone makes a canal source")
                .isEqualTo(SourceProperties.SourceType.CANAL);
    }

    @Test
    void addressesAndZooKeeperTogetherAreRefusedNamingBoth() {
        SourceProperties source = canalFromZooKeeper();
        source.setAddresses(java.util.List.of("canal1:11111"));
        assertThatThrownBy(() -> SourcePropertiesValidator.validate("orders", "canal.sources.orders", source))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.orders.zookeeper.connect-string");
                    assertThat(e.getProblem()).contains("both addresses [canal1:11111]").contains("zk1:2181,zk2:2181");
                    assertThat(e.getAction()).contains("Remove canal.sources.orders.addresses")
                            .contains("or remove canal.sources.orders.zookeeper.connect-string");
                });
    }

    @Test
    void aCanalSourceWithNeitherAddressesNorZooKeeperNamesBothWaysOut() {
        SourceProperties source = new SourceProperties();
        source.setDestination("example");
        assertThatThrownBy(() -> SourcePropertiesValidator.validate("orders", "canal.sources.orders", source))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> assertThat(e.getAction())
                        .contains("canal.sources.orders.addresses")
                        .contains("canal.sources.orders.zookeeper.connect-string"));
    }

    @Test
    void otherNegativeLimitsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> SourcePropertiesValidator.validate("orders", "canal.sources.orders", binlog(-2)))
                .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.orders.reconnect.max-attempts");
                    assertThat(e.getAction()).contains("-1 (keep trying)");
                });
    }
}
