package dev.canalboot.ha;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalHaAutoConfiguration;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static dev.canalboot.ha.JdbcLeaderElectionIT.await;
import static dev.canalboot.ha.JdbcLeaderElectionIT.insert;
import static dev.canalboot.ha.JdbcLeaderElectionIT.item;
import static dev.canalboot.ha.JdbcLeaderElectionIT.leadership;
import static dev.canalboot.ha.JdbcLeaderElectionIT.role;
import static dev.canalboot.ha.JdbcLeaderElectionIT.take;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two consumers of one Canal 1.1.7 destination under {@code ha.mode=jdbc}: one subscribes and receives, the other
 * stands by; when the first stops, the second subscribes and goes on from the Canal server's cursor.
 */
class CanalSourceHaIT {

    private static final String SCHEMA = "ha_jdbc";
    private static final String STATE = "ha_canal_state";

    @Test
    void oneClientOfADestinationReceivesTheOtherTakesOverFromTheServersCursor() throws Exception {
        EmbeddedDatabase db = TestServers.mariadb();
        String table = SCHEMA + ".items_canal";
        db.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP DATABASE IF EXISTS " + STATE,
                "CREATE DATABASE " + STATE, "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)");
        DriverManagerDataSource ds = new DriverManagerDataSource(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
        String[] start = binlogEnd(db);
        try (EmbeddedCanalServer canal = EmbeddedCanalServer.builder(db).filter(SCHEMA + "\\.items_canal")
                .binlogPosition(start[0], Long.parseLong(start[1])).start()) {
            runner(canal, ds, "a").run(a -> {
                assertThat(a).hasNotFailed();
                await(() -> role(a) == HaRole.LEADER, "a leads");
                runner(canal, ds, "b").run(b -> {
                    assertThat(b).hasNotFailed();
                    Thread.sleep(1500);
                    assertThat(role(b)).isEqualTo(HaRole.STANDBY);
                    insert(db, table, 1, 2);
                    assertThat(take(a, 2)).containsExactly(1L, 2L);
                    long epochA = leadership(a).getEpoch().value();
                    a.close();
                    await(() -> role(b) == HaRole.LEADER, "b takes over");
                    assertThat(leadership(b).getEpoch().value()).isGreaterThan(epochA);
                    insert(db, table, 3);
                    assertThat(take(b, 1)).containsExactly(3L); // 1 and 2 were acknowledged on the server by a
                    assertThat(item(b).ids).isEmpty();
                });
            });
        }
    }

    private static String[] binlogEnd(EmbeddedDatabase db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).isTrue();
            return new String[]{rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private static ApplicationContextRunner runner(EmbeddedCanalServer canal, DataSource ds, String instance) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class, CanalHaAutoConfiguration.class))
                .withUserConfiguration(JdbcLeaderElectionIT.ItemListener.class)
                .withBean(DataSource.class, () -> ds)
                .withPropertyValues("canal.checkpoint.store=none",
                        "canal.source.addresses=" + canal.host() + ":" + canal.port(),
                        "canal.source.destination=" + canal.destination(), "canal.source.ha.mode=jdbc",
                        "canal.ha.jdbc.lease=1s", "canal.ha.instance-id=" + instance);
    }
}
