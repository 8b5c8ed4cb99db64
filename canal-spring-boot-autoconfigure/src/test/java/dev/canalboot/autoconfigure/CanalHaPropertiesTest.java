package dev.canalboot.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code canal.ha.*} engines' properties: defaults and binding. */
class CanalHaPropertiesTest {

    @Test
    void defaults() {
        CanalHaProperties properties = new CanalHaProperties();

        assertThat(properties.getInstanceId()).as("chosen at start-up").isNull();
        assertThat(properties.getJdbc().getTablePrefix()).isEqualTo("CANAL_HA_");
        assertThat(properties.getJdbc().getLease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.getZookeeper().getConnectString()).isNull();
        assertThat(properties.getZookeeper().getSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.getZookeeper().getConnectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.getZookeeper().getRoot()).isEqualTo("/canal-spring-boot");
    }

    @Test
    void keysBindInTheirKebabCaseForm() {
        CanalHaProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "canal.ha.instance-id", "node-1",
                "canal.ha.jdbc.table-prefix", "ops.HA_",
                "canal.ha.jdbc.lease", "30s",
                "canal.ha.zookeeper.connect-string", "zk1:2181,zk2:2181",
                "canal.ha.zookeeper.session-timeout", "20s",
                "canal.ha.zookeeper.connection-timeout", "2s",
                "canal.ha.zookeeper.root", "/cdc")))
                .bind(CanalHaProperties.PREFIX, CanalHaProperties.class).get();

        assertThat(CanalHaProperties.PREFIX).isEqualTo("canal.ha");
        assertThat(properties.getInstanceId()).isEqualTo("node-1");
        assertThat(properties.getJdbc().getTablePrefix()).isEqualTo("ops.HA_");
        assertThat(properties.getJdbc().getLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.getZookeeper().getConnectString()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(properties.getZookeeper().getSessionTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(properties.getZookeeper().getConnectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.getZookeeper().getRoot()).isEqualTo("/cdc");
    }
}
