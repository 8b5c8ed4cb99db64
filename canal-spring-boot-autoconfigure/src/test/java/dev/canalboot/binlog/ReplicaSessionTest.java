package dev.canalboot.binlog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The replica's session set-up; its effect on real servers is covered by the end-to-end and semi-sync tests. */
class ReplicaSessionTest {

    @Test
    void setsEveryReplicaVariableInOneStatementOnMySql() {
        assertThat(ReplicaSession.replicaVariables(false, true, 30_000_000_000L, false)).isEqualTo(
                "SET @master_binlog_checksum = @@global.binlog_checksum, @master_heartbeat_period = 30000000000");
        assertThat(ReplicaSession.replicaVariables(false, false, 1_000_000_000L, true)).isEqualTo(
                "SET @master_binlog_checksum = 'NONE', @master_heartbeat_period = 1000000000,"
                        + " @rpl_semi_sync_slave = 1, @rpl_semi_sync_replica = 1");
    }

    @Test
    void setsEveryReplicaVariableInOneStatementOnMariaDb() {
        assertThat(ReplicaSession.replicaVariables(true, true, 5_000_000_000L, false)).isEqualTo(
                "SET @master_binlog_checksum = @@global.binlog_checksum, @master_heartbeat_period = 5000000000,"
                        + " @mariadb_slave_capability = 4");
        assertThat(ReplicaSession.replicaVariables(true, true, 5_000_000_000L, true)).isEqualTo(
                "SET @master_binlog_checksum = @@global.binlog_checksum, @master_heartbeat_period = 5000000000,"
                        + " @mariadb_slave_capability = 4, @rpl_semi_sync_slave = 1");
    }
}
