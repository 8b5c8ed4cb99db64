package dev.canalboot.ha;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The epochs of {@code ha.mode=jdbc} in a real MySQL 8.0 (the shared test server), in a schema of their own. */
class JdbcEpochsIT {

    private static final String SCHEMA = "ha_epochs";
    private static DriverManagerDataSource dataSource;

    @BeforeAll
    static void schema() {
        EmbeddedDatabase db = TestServers.mysql();
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA);
        dataSource = new DriverManagerDataSource(db.jdbcUrl(SCHEMA), db.rootUser(), db.rootPassword());
    }

    @Test
    void aPrefixThatIsNoPlainIdentifierIsRefusedBeforeAnySqlRuns() {
        for (String bad : List.of("HA-", "1HA_", "HA_; DROP TABLE x; --", "a.b.c", "")) {
            assertThatThrownBy(() -> new JdbcEpochs(dataSource, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("HA table prefix '" + bad + "' is not a plain SQL identifier (letters, digits, '_', "
                            + "optionally schema.prefix)");
        }
        JdbcEpochs qualified = new JdbcEpochs(dataSource, SCHEMA + ".Q_");
        assertThat(qualified.lockTable()).isEqualTo(SCHEMA + ".Q_LOCK");
        assertThat(qualified.epochTable()).isEqualTo(SCHEMA + ".Q_EPOCH");
    }

    @Test
    void epochsOfASourceRiseByOneForEachClaimAndNameTheirHolder() {
        JdbcEpochs epochs = new JdbcEpochs(dataSource, "SEQ_");
        epochs.createTables();
        epochs.createTables(); // idempotent
        assertThat(epochs.current("s")).isEmpty();

        Epoch first = epochs.next("s", "a");
        assertThat(first.value()).isEqualTo(1);
        assertThat(first.holder()).isEqualTo("a");
        assertThat(epochs.next("s", "b").value()).isEqualTo(2);
        assertThat(epochs.next("other", "b").value()).as("each source counts on its own").isEqualTo(1);
        Epoch current = epochs.current("s").orElseThrow();
        assertThat(current.value()).isEqualTo(2);
        assertThat(current.holder()).isEqualTo("b");
        assertThat(current.claimed()).isNotNull();
    }

    @Test
    void concurrentClaimsGetDistinctConsecutiveEpochs() throws Exception {
        JdbcEpochs epochs = new JdbcEpochs(dataSource, "RACE_");
        epochs.createTables();
        EpochRace.assertConcurrentClaimsGetDistinctConsecutiveEpochs(epochs);
    }

    @Test
    void failuresNameTheTableAndTheWayOut() {
        JdbcEpochs missingSchema = new JdbcEpochs(dataSource, "no_such_schema.HA_");
        assertThatThrownBy(missingSchema::createTables).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot create the high-availability tables no_such_schema.HA_LOCK and "
                        + "no_such_schema.HA_EPOCH (the database user needs CREATE, or create them yourself: "
                        + "CREATE TABLE IF NOT EXISTS no_such_schema.HA_LOCK (LOCK_KEY CHAR(36)");
        JdbcEpochs notCreated = new JdbcEpochs(dataSource, "MISSING_");
        assertThatThrownBy(() -> notCreated.next("s", "a")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot claim the next leader epoch of source 's' in table MISSING_EPOCH");
        assertThatThrownBy(() -> notCreated.current("s")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot read the leader epoch of source 's' from table MISSING_EPOCH");
    }
}
