package dev.canalboot.autoconfigure;

import dev.canalboot.listener.container.TablePattern;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CanalRelayAutoConfigurationTest {

    @Test
    void theStartersOwnTablesAreKnownInAnySchemaUnlessQualified() {
        List<TablePattern> own = CanalRelayAutoConfiguration.ownTables(new CanalProperties(), new CanalHaProperties());
        assertThat(own).anyMatch(p -> p.matches("app_state", "canal_checkpoint"))
                .anyMatch(p -> p.matches("app_state", "CANAL_HA_LOCK"))
                .anyMatch(p -> p.matches("other", "canal_ha_epoch"))
                .noneMatch(p -> p.matches("shop", "orders"));

        CanalProperties properties = new CanalProperties();
        properties.getCheckpoint().getJdbc().setTable("state.cp");
        CanalHaProperties ha = new CanalHaProperties();
        ha.getJdbc().setTablePrefix("state.HA_");
        List<TablePattern> qualified = CanalRelayAutoConfiguration.ownTables(properties, ha);
        assertThat(qualified).anyMatch(p -> p.matches("state", "cp")).anyMatch(p -> p.matches("state", "HA_EPOCH"))
                .noneMatch(p -> p.matches("shop", "cp")).noneMatch(p -> p.matches("shop", "HA_LOCK"));
    }
}
