package dev.canalboot.ha;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.HaConsumerMain;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three consumer JVMs ({@link HaConsumerMain}) on one binlog source of MySQL 8.0 with {@code ha.mode=jdbc} and the
 * JDBC checkpoint store, a writer committing throughout, and the current leader killed with SIGKILL again and again
 * (a fresh JVM replaces each killed one): every committed row is delivered at least once, each leader term delivers
 * in commit order, no two terms deliver at the same time (from the instances' fsync'd logs: epoch and wall clock
 * per row), and the takeover time per kill is printed. See {@link HaKillHarness}.
 */
class HaKillIT {

    static final String SCHEMA = "ha_kill";
    static final String STATE = "ha_kill_state";
    static final int KILLS = Integer.getInteger("ha.kills", 10);
    static final long LEASE_MILLIS = 2000;

    private HaKillHarness harness() throws Exception {
        EmbeddedDatabase db = TestServers.mysql();
        db.execute("DROP DATABASE IF EXISTS " + STATE, "CREATE DATABASE " + STATE);
        return new HaKillHarness("ha-kill", db, SCHEMA, List.of("--canal.source.ha.mode=jdbc",
                "--canal.checkpoint.store=jdbc", "--canal.ha.jdbc.lease=" + LEASE_MILLIS + "ms",
                "--test.jdbc-url=" + db.jdbcUrl(STATE), "--test.jdbc-user=" + db.rootUser(),
                "--test.jdbc-password=" + db.rootPassword()), () -> latestEpoch(db));
    }

    private static HaKillHarness.Leader latestEpoch(EmbeddedDatabase db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT EPOCH, HOLDER FROM CANAL_HA_EPOCH WHERE SOURCE_NAME = 'default'")) {
            return rs.next() ? new HaKillHarness.Leader(rs.getLong(1), rs.getString(2)) : null;
        } catch (java.sql.SQLSyntaxErrorException notYetCreated) {
            return null; // the first consumer creates the table
        }
    }

    @Test
    void everyRowArrivesOnlyOneInstanceDeliversAtATimeAcrossKillsOfTheLeader() throws Exception {
        HaKillHarness.Kills kills = harness().killLeaders(KILLS, kill -> {
        });
        System.out.printf("HA kill test: %d kills of the leader, %d transactions, %d terms; takeover (kill to the "
                        + "new leader's first delivery, lease %d ms): %s%n", KILLS, kills.committedTransactions(),
                kills.terms(), LEASE_MILLIS, kills.summary());
        assertThat(kills.takeoverMillis()).hasSize(KILLS);
    }

    /**
     * The leader frozen with SIGSTOP past its lease while another instance takes over, then thawed with SIGCONT:
     * it delivers nothing more, its epoch writes nothing to the checkpoint, and it goes back to standby.
     */
    @Test
    void aFrozenLeaderDeliversNothingAfterItIsThawedAndStandsBy() throws Exception {
        EmbeddedDatabase db = TestServers.mysql();
        HaKillHarness.Frozen frozen = harness().freezeLeader(() -> {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT leader_epoch FROM canal_checkpoint WHERE source_name = 'default'")) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        });
        System.out.printf("HA frozen-leader test: %s frozen in epoch %d, taken over %d ms later (lease %d ms);"
                + " after SIGCONT: %s; back to standby%n", frozen.holder(), frozen.epoch(),
                frozen.takeoverMillis(), LEASE_MILLIS, frozen.afterThaw());
    }
}
