package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.CanalAutoConfigurationTest.FactoryConfig;
import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.source.ChangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection details bean says where the default source connects, in preference to canal.source.*. */
class ConnectionDetailsTest {

    @TempDir
    Path checkpoints;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                .withUserConfiguration(FactoryConfig.class)
                .withPropertyValues("canal.checkpoint.file.directory=" + checkpoints);
    }

    private static BinlogConnectionDetails binlog(String host, int port, TlsSettings tls) {
        return new BinlogConnectionDetails() {
            public String host() { return host; }
            public int port() { return port; }
            public String username() { return "details-user"; }
            public String password() { return "details-secret"; }
            public TlsSettings tls() { return tls; }
        };
    }

    @Test
    void binlogDetailsAloneMakeTheDefaultSource() {
        runner().withBean(BinlogConnectionDetails.class, () -> binlog("db-from-details", 3307, null)).run(context -> {
            assertThat(context).hasNotFailed();
            SourceProperties source = context.getBean(FactoryConfig.class).received.get("default");
            assertThat(source.effectiveType()).isEqualTo(SourceType.BINLOG);
            assertThat(source.getHost()).isEqualTo("db-from-details");
            assertThat(source.getPort()).isEqualTo(3307);
            assertThat(source.getUsername()).isEqualTo("details-user");
            assertThat(source.getPassword()).isEqualTo("details-secret");
            // The bound properties say the same, so health, the endpoint and container settings see it.
            assertThat(context.getBean(CanalProperties.class).getSource()).isSameAs(source);
        });
    }

    @Test
    void binlogDetailsWinOverPropertiesAndKeepTheOtherProperties() {
        runner().withPropertyValues("canal.source.host=db-from-properties", "canal.source.username=u",
                        "canal.source.password=p", "canal.source.server-id=4242", "canal.source.ssl.mode=disabled")
                .withBean(BinlogConnectionDetails.class, () -> binlog("db-from-details", 3308,
                        TlsSettings.of(TlsMode.REQUIRED)))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SourceProperties source = context.getBean(FactoryConfig.class).received.get("default");
                    assertThat(source.getHost()).isEqualTo("db-from-details");
                    assertThat(source.getUsername()).isEqualTo("details-user");
                    assertThat(source.getServerId()).isEqualTo(4242L);
                    assertThat(source.getSsl().getMode()).isEqualTo(TlsMode.REQUIRED);
                    assertThat(source.getSsl().getTrustStoreType()).isEqualTo("PKCS12");
                });
    }

    @Test
    void detailsLeaveNamedSourcesAlone() {
        runner().withPropertyValues("canal.sources.orders.host=db-orders", "canal.sources.orders.username=u",
                        "canal.sources.orders.password=p")
                .withBean(BinlogConnectionDetails.class, () -> binlog("db-from-details", 3306, null))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(ChangeSource.class)).containsOnlyKeys("canalSource.orders",
                            "canalSource.default");
                    assertThat(context.getBean(FactoryConfig.class).received.get("orders").getHost())
                            .isEqualTo("db-orders");
                });
    }

    @Test
    void canalDetailsMakeACanalSource() {
        runner().withPropertyValues("canal.source.filter=shop\\..*")
                .withBean(CanalConnectionDetails.class, () -> new CanalConnectionDetails() {
                    public List<String> addresses() { return List.of("canal-a:11111", "canal-b:11111"); }
                    public String destination() { return "shop"; }
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SourceProperties source = context.getBean(FactoryConfig.class).received.get("default");
                    assertThat(source.effectiveType()).isEqualTo(SourceType.CANAL);
                    assertThat(source.getAddresses()).containsExactly("canal-a:11111", "canal-b:11111");
                    assertThat(source.getDestination()).isEqualTo("shop");
                    assertThat(source.getFilter()).isEqualTo("shop\\..*");
                });
    }

    @Test
    void canalDetailsReplaceAZooKeeperConnectString() {
        runner().withPropertyValues("canal.source.zookeeper.connect-string=zk1:2181")
                .withBean(CanalConnectionDetails.class, () -> new CanalConnectionDetails() {
                    public List<String> addresses() { return List.of("canal-a:11111"); }
                    public String destination() { return "shop"; }
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SourceProperties source = context.getBean(FactoryConfig.class).received.get("default");
                    assertThat(source.getAddresses()).containsExactly("canal-a:11111");
                    assertThat(source.getZookeeper().isSet()).isFalse();
                });
    }

    @Test
    void twoDetailsBeansFailNamingBoth() {
        runner().withBean("first", BinlogConnectionDetails.class, () -> binlog("a", 3306, null))
                .withBean("second", BinlogConnectionDetails.class, () -> binlog("b", 3306, null))
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("2 connection details beans")
                            .contains("[first, second]");
                    assertThat(analysis.getAction()).contains("Keep one");
                });
    }
}
