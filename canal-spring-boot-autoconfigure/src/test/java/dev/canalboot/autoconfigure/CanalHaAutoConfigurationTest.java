package dev.canalboot.autoconfigure;

import dev.canalboot.ha.HaCoordinator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up with ha.mode set but a piece missing fails, naming the property and the fix; without ha.mode nothing of HA exists. */
class CanalHaAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class, CanalHaAutoConfiguration.class))
            .withPropertyValues("canal.sources.orders.username=u", "canal.sources.orders.password=p");

    /** The source as a binlog source; the other tests make it a Canal source (a host would not apply to it). */
    private static final String BINLOG_HOST = "canal.sources.orders.host=localhost";

    private static DataSource dataSource() {
        return new DriverManagerDataSource("jdbc:mysql://127.0.0.1:1/none", "u", "p");
    }

    @Test
    void withoutHaModeThereIsNoCoordinator() {
        runner.withPropertyValues(BINLOG_HOST, "canal.checkpoint.store=none").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(HaCoordinator.class);
        });
    }

    @Test
    void jdbcModeWithoutSpringIntegrationJdbcNamesTheDependency() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.integration.jdbc"))
                .withBean(DataSource.class, CanalHaAutoConfigurationTest::dataSource)
                .withPropertyValues("canal.sources.orders.destination=d", "canal.sources.orders.addresses=h:1",
                        "canal.sources.orders.ha.mode=jdbc", "canal.checkpoint.store=none")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("canal.sources.orders.ha.mode")
                            .contains("not on the class path");
                    assertThat(analysis.getAction()).contains("org.springframework.integration:spring-integration-jdbc");
                });
    }

    @Test
    void jdbcModeWithoutDataSourceSaysHowToConfigureOne() {
        runner.withPropertyValues("canal.sources.orders.type=canal", "canal.sources.orders.destination=d",
                        "canal.sources.orders.addresses=localhost:11111", "canal.sources.orders.ha.mode=jdbc",
                        "canal.checkpoint.store=none")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("canal.sources.orders.ha.mode")
                            .contains("no single DataSource");
                    assertThat(analysis.getAction()).contains("spring.datasource.url");
                });
    }

    @Test
    void binlogSourceUnderHaNeedsAFencingCheckpointStore(@org.junit.jupiter.api.io.TempDir Path checkpoints) {
        runner.withBean(DataSource.class, CanalHaAutoConfigurationTest::dataSource)
                .withPropertyValues(BINLOG_HOST, "canal.sources.orders.ha.mode=jdbc", "canal.checkpoint.store=file",
                        "canal.checkpoint.file.directory=" + checkpoints)
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.checkpoint.store'")
                            .contains("FileCheckpointStore");
                    assertThat(analysis.getAction()).contains("canal.checkpoint.store=jdbc");
                });
    }

    @Test
    void zookeeperModeWithoutCuratorNamesTheDependency() {
        runner.withClassLoader(new FilteredClassLoader("org.apache.curator"))
                .withPropertyValues("canal.sources.orders.destination=d", "canal.sources.orders.addresses=h:1",
                        "canal.sources.orders.ha.mode=zookeeper")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("canal.sources.orders.ha.mode")
                            .contains("Apache Curator");
                    assertThat(analysis.getAction()).contains("org.apache.curator:curator-recipes");
                });
    }

    @Test
    void zookeeperModeWithoutConnectStringAsksForIt() {
        runner.withPropertyValues("canal.sources.orders.destination=d", "canal.sources.orders.addresses=h:1",
                        "canal.sources.orders.ha.mode=zookeeper")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.ha.zookeeper.connect-string'");
                    assertThat(analysis.getAction()).contains("Set canal.ha.zookeeper.connect-string");
                });
    }

    @Test
    void unreachableZooKeeperFailsStartUpNamingTheConnectString() {
        runner.withPropertyValues("canal.sources.orders.destination=d", "canal.sources.orders.addresses=h:1",
                        "canal.sources.orders.ha.mode=zookeeper", "canal.ha.zookeeper.connect-string=127.0.0.1:1",
                        "canal.ha.zookeeper.connection-timeout=500ms")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.ha.zookeeper.connect-string'")
                            .contains("could not be reached");
                    assertThat(analysis.getAction()).contains("Start ZooKeeper");
                });
    }
}
