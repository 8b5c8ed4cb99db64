package dev.canalboot.ha;

import dev.canalboot.checkpoint.ZooKeeperCheckpointStore;
import dev.canalboot.testsupport.TestServers;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HaKillIT}'s kills with {@code ha.mode=zookeeper} and {@code canal.checkpoint.store=zookeeper}: three
 * consumer JVMs on one binlog source of MySQL 8.0, a ZooKeeper server in this JVM (curator-test), the leader killed
 * with SIGKILL ten times and ZooKeeper restarted once: every committed row delivered, one term at a time in
 * commit order, the checkpoint node last written by the last leader; the takeover time per kill is printed. And
 * a leader frozen (SIGSTOP) past its session timeout, so that ZooKeeper expires its session: it delivers nothing
 * more in its term after SIGCONT and goes back to standby.
 */
class ZooKeeperHaKillIT {

    static final String SCHEMA = "ha_kill_zk";
    static final String ROOT = "/ha-kill";
    static final int KILLS = Integer.getInteger("ha.zk.kills", 10);
    static final long SESSION_MILLIS = 2000;

    /**
     * SIGSTOP longer than the 2 s session timeout: ZooKeeper expires the frozen leader's session and the other
     * instance's latch wins; after SIGCONT the frozen one finds its session expired.
     */
    @Test
    void aLeaderFrozenUntilItsSessionExpiredDeliversNothingMoreAndStandsBy() throws Exception {
        try (TestingServer zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
             CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
                     .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build()) {
            client.start();
            assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
            ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(client, ROOT);
            HaKillHarness.Frozen frozen = harness("ha-freeze-zk", zk, client).freezeLeader(() -> {
                Properties checkpoint = new Properties();
                checkpoint.load(new java.io.StringReader(new String(client.getData().forPath(store.path("default")),
                        StandardCharsets.UTF_8)));
                return Long.parseLong(checkpoint.getProperty("leader-epoch"));
            });
            System.out.printf("HA ZooKeeper frozen-leader test: %s frozen in epoch %d until its session expired, taken"
                    + " over %d ms later (session timeout %d ms); after SIGCONT: %s; back to standby%n",
                    frozen.holder(), frozen.epoch(), frozen.takeoverMillis(), SESSION_MILLIS, frozen.afterThaw());
        }
    }

    private static HaKillHarness harness(String name, TestingServer zk, CuratorFramework client) throws Exception {
        ZooKeeperEpochs epochs = new ZooKeeperEpochs(client, ROOT);
        return new HaKillHarness(name, TestServers.mysql(), SCHEMA, List.of(
                "--canal.source.ha.mode=zookeeper", "--canal.checkpoint.store=zookeeper",
                "--canal.ha.zookeeper.connect-string=" + zk.getConnectString(),
                "--canal.ha.zookeeper.session-timeout=" + SESSION_MILLIS + "ms",
                "--canal.ha.zookeeper.connection-timeout=30s", "--canal.ha.zookeeper.root=" + ROOT),
                () -> epochs.current("default").map(e -> new HaKillHarness.Leader(e.value(), e.holder()))
                        .orElse(null));
    }

    @Test
    void everyRowArrivesOneTermAtATimeAcrossKillsOfTheLeaderWithCheckpointsInZooKeeper() throws Exception {
        // tick 200 ms: sessions of 2 s are allowed (at least two ticks)
        try (TestingServer zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
             CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
                     .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build()) {
            client.start();
            assertThat(client.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
            HaKillHarness harness = harness("ha-kill-zk", zk, client);

            AtomicLong restartedAfterKill = new AtomicLong(-1);
            HaKillHarness.Kills kills = harness.killLeaders(KILLS, kill -> {
                // one ZooKeeper restart: the latches see their connection drop; the next kill is of who leads then
                if (kill == 0) {
                    zk.restart();
                    restartedAfterKill.set(kill + 1);
                }
            });

            long lastTerm = harness.terms().lastKey();
            ZooKeeperCheckpointStore store = new ZooKeeperCheckpointStore(client, ROOT);
            Properties checkpoint = new Properties();
            checkpoint.load(new java.io.StringReader(new String(client.getData().forPath(store.path("default")),
                    StandardCharsets.UTF_8)));
            assertThat(Long.parseLong(checkpoint.getProperty("leader-epoch")))
                    .as("the checkpoint was last written by the last term's leader").isEqualTo(lastTerm);
            assertThat(Long.parseLong(new String(client.getData().forPath(store.fencePath("default")),
                    StandardCharsets.UTF_8))).as("the fence").isGreaterThanOrEqualTo(lastTerm);
            // what a restarted instance would resume from: position, server and the schema history node it names
            dev.canalboot.checkpoint.Checkpoint resume = store.load("default").orElseThrow();
            assertThat(resume.server()).isNotNull();
            assertThat(resume.schemaHistory()).isNotBlank();
            System.out.printf("HA ZooKeeper kill test: resumes from %s, schema history of %d chars in node %s%n",
                    resume, resume.schemaHistory().length(), checkpoint.getProperty("schema-history-node"));
            System.out.printf("HA ZooKeeper kill test: %d kills of the leader, %d transactions, %d terms, checkpoints"
                            + " in ZooKeeper, ZooKeeper restarted after kill " + restartedAfterKill + "; takeover (kill"
                            + " to the new leader's first delivery, session timeout %d ms): %s%n", KILLS, kills.committedTransactions(), kills.terms(), SESSION_MILLIS,
                    kills.summary());
            assertThat(kills.takeoverMillis()).hasSize(KILLS);
        }
    }
}
