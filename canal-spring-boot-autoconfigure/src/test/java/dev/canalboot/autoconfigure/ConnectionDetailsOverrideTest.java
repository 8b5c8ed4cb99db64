package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.CanalAutoConfigurationTest.FactoryConfig;
import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.binlog.tls.TlsMode;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.source.ChangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ConnectionDetailsOverride}: a connection details bean says where the default source connects, in preference to canal.source.*. */
class ConnectionDetailsOverrideTest {

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

    @Test
    void withoutDetailsTheSourceIsLeftAsItIs() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        SourceProperties source = new SourceProperties();
        source.setHost("db-from-properties");
        assertThat(ConnectionDetailsOverride.present(beans)).isFalse();
        assertThat(ConnectionDetailsOverride.apply(source, beans)).isSameAs(source);
        assertThat(source.getHost()).isEqualTo("db-from-properties");
        assertThat(ConnectionDetailsOverride.apply(null, beans)).as("no canal.source and no details").isNull();
    }

    @Test
    void detailsMakeADefaultSourceWhenNoneIsConfigured() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("details", binlog("db-from-details", 3306, null));
        assertThat(ConnectionDetailsOverride.present(beans)).isTrue();
        SourceProperties source = ConnectionDetailsOverride.apply(null, beans);
        assertThat(source).isNotNull();
        assertThat(source.getHost()).isEqualTo("db-from-details");
        assertThat(source.getType()).isEqualTo(SourceType.BINLOG);
    }

    @Test
    void binlogDetailsTlsStoresReplaceThePropertiesAndATypeLeftOpenKeepsTheProperty() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        TlsSettings tls = new TlsSettings(TlsMode.VERIFY_IDENTITY, Path.of("/certs/trust.jks"),
                "trust-pw".toCharArray(), "JKS", Path.of("/certs/client.p12"), "key-pw".toCharArray(), null);
        beans.registerSingleton("details", binlog("db-from-details", 3306, tls));
        SourceProperties source = new SourceProperties();
        source.setType(SourceType.CANAL);
        source.getSsl().setMode(TlsMode.DISABLED);
        source.getSsl().setKeyStoreType("JKS");

        ConnectionDetailsOverride.apply(source, beans);

        assertThat(source.getType()).as("binlog details make a binlog source").isEqualTo(SourceType.BINLOG);
        assertThat(source.getSsl().getMode()).isEqualTo(TlsMode.VERIFY_IDENTITY);
        assertThat(source.getSsl().getTrustStore()).isEqualTo(Path.of("/certs/trust.jks"));
        assertThat(source.getSsl().getTrustStorePassword()).isEqualTo("trust-pw");
        assertThat(source.getSsl().getTrustStoreType()).isEqualTo("JKS");
        assertThat(source.getSsl().getKeyStore()).isEqualTo(Path.of("/certs/client.p12"));
        assertThat(source.getSsl().getKeyStorePassword()).isEqualTo("key-pw");
        assertThat(source.getSsl().getKeyStoreType()).as("the details name no type").isEqualTo("JKS");
    }

    @Test
    void binlogDetailsWithoutTlsKeepTheSslProperties() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("details", binlog("db-from-details", 3306, null));
        SourceProperties source = new SourceProperties();
        source.getSsl().setMode(TlsMode.VERIFY_CA);
        source.getSsl().setTrustStore(Path.of("/certs/trust.p12"));

        ConnectionDetailsOverride.apply(source, beans);

        assertThat(source.getSsl().getMode()).isEqualTo(TlsMode.VERIFY_CA);
        assertThat(source.getSsl().getTrustStore()).isEqualTo(Path.of("/certs/trust.p12"));
    }

    @Test
    void canalDetailsCarryTheirCredentialsAndMakeACanalSourceOfABinlogOne() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("details", new CanalConnectionDetails() {
            public List<String> addresses() { return List.of("canal-a:11111"); }
            public String destination() { return "shop"; }
            public String username() { return "canal-user"; }
            public String password() { return "canal-secret"; }
        });
        SourceProperties source = new SourceProperties();
        source.setType(SourceType.BINLOG);
        source.setHost("db-from-properties");
        source.setUsername("property-user");
        source.setPassword("property-secret");

        ConnectionDetailsOverride.apply(source, beans);

        assertThat(source.getType()).isEqualTo(SourceType.CANAL);
        assertThat(source.getUsername()).isEqualTo("canal-user");
        assertThat(source.getPassword()).isEqualTo("canal-secret");
        assertThat(source.getDestination()).isEqualTo("shop");
    }

    @Test
    void aBinlogAndACanalDetailsBeanTogetherFailNamingEachKind() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("mysql", binlog("a", 3306, null));
        beans.registerSingleton("canal", new CanalConnectionDetails() {
            public List<String> addresses() { return List.of("canal-a:11111"); }
            public String destination() { return "shop"; }
        });
        assertThatThrownBy(() -> ConnectionDetailsOverride.apply(new SourceProperties(), beans))
                .isInstanceOf(InvalidCanalConfigurationException.class)
                .hasMessageContaining("2 connection details beans")
                .hasMessageContaining("BinlogConnectionDetails [mysql]")
                .hasMessageContaining("CanalConnectionDetails [canal]");
    }
}
