package dev.canalboot.ha;

import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import dev.canalboot.autoconfigure.CanalHaAutoConfiguration;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;

import static dev.canalboot.ha.JdbcLeaderElectionIT.await;
import static dev.canalboot.ha.JdbcLeaderElectionIT.insert;
import static dev.canalboot.ha.JdbcLeaderElectionIT.item;
import static dev.canalboot.ha.JdbcLeaderElectionIT.leadership;
import static dev.canalboot.ha.JdbcLeaderElectionIT.role;
import static dev.canalboot.ha.JdbcLeaderElectionIT.take;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ha.mode=zookeeper} against an in-process ZooKeeper server (curator-test): two application contexts, one
 * reads; the leader's session expires and the other takes over with a higher epoch; ZooKeeper restarts and one
 * instance reads again afterwards. Checkpoints in the JDBC store on MySQL 8.0.
 */
class ZooKeeperLeaderElectionIT {

    private static final String SCHEMA = "ha_jdbc";
    private static final String STATE = "ha_zk_state";

    @Test
    void oneReaderSurvivesSessionExpiryAndAZooKeeperRestart() throws Exception {
        EmbeddedDatabase db = TestServers.mysql();
        String table = SCHEMA + ".items_zk";
        db.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "DROP DATABASE IF EXISTS " + STATE,
                "CREATE DATABASE " + STATE, "DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)");
        DriverManagerDataSource ds = new DriverManagerDataSource(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
        // tick 200 ms: sessions of 2 s are allowed (at least two ticks)
        try (TestingServer zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
             CuratorFramework clientA = client(zk); CuratorFramework clientB = client(zk)) {
            runner(db, ds, "a", clientA).run(a -> {
                assertThat(a).hasNotFailed();
                await(() -> role(a) == HaRole.LEADER, "a leads");
                runner(db, ds, "b", clientB).run(b -> {
                    assertThat(b).hasNotFailed();
                    Thread.sleep(1000);
                    assertThat(role(b)).isEqualTo(HaRole.STANDBY);
                    awaitStreaming(a);
                    insert(db, table, 1);
                    assertThat(take(a, 1)).containsExactly(1L);
                    long epochA = leadership(a).getEpoch().value();

                    clientA.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
                    await(() -> role(b) == HaRole.LEADER, "b takes over after a's session expired");
                    await(() -> role(a) == HaRole.STANDBY, "a stands by");
                    assertThat(leadership(b).getEpoch().value()).isGreaterThan(epochA);
                    awaitStreaming(b);
                    insert(db, table, 2);
                    assertThat(take(b, 1)).containsExactly(2L);
                    assertThat(item(a).ids).isEmpty();

                    zk.restart();
                    await(() -> (role(a) == HaRole.LEADER) != (role(b) == HaRole.LEADER)
                            && (role(a) == HaRole.LEADER ? leadership(a) : leadership(b)).getEpoch() != null,
                            "one leader after the ZooKeeper restart");
                    ConfigurableApplicationContext leader = role(a) == HaRole.LEADER ? a : b;
                    ConfigurableApplicationContext standby = leader == a ? b : a;
                    awaitStreaming(leader);
                    insert(db, table, 3);
                    assertThat(take(leader, 1)).containsExactly(3L);
                    assertThat(item(standby).ids).isEmpty();
                });
            });
        }
    }

    /**
     * The election alone, two instances on one leader latch: one leads with a lease renewed by round trips; a
     * yield hands the latch to the other (the yielder queues again behind it), and closing hands it back.
     */
    @Test
    void aYieldHandsTheLatchToTheOtherInstanceAndTheYielderQueuesAgain() throws Exception {
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework clientA = client(zk); CuratorFramework clientB = client(zk)) {
            ZooKeeperHaEngine engineA = new ZooKeeperHaEngine(clientA, "/direct/", java.time.Duration.ofSeconds(2), false);
            ZooKeeperHaEngine engineB = new ZooKeeperHaEngine(clientB, "/direct", java.time.Duration.ofSeconds(2), false);
            JdbcLeaderElectionIT.RecordingElectionListener a = new JdbcLeaderElectionIT.RecordingElectionListener();
            JdbcLeaderElectionIT.RecordingElectionListener b = new JdbcLeaderElectionIT.RecordingElectionListener();
            LeaderElection electionA = engineA.election("s", "a", a);
            LeaderElection electionB = engineB.election("s", "b", b);
            assertThat(electionA.describe()).isEqualTo("leader latch /direct/s/leader on " + zk.getConnectString()
                    + ", session timeout PT2S");
            electionA.start();
            await(() -> a.leading && electionA.lease().valid(), "a leads with a valid lease");
            electionB.start();
            Thread.sleep(1000); // several renewal periods
            assertThat(b.leading).isFalse();
            await(() -> electionA.lease().valid(), "a's lease renewed by its round trips");

            electionA.yieldLeadership();
            await(() -> b.leading && electionB.lease().valid(), "b leads after a yielded");
            assertThat(electionA.lease().valid()).as("ended by the yield").isFalse();
            assertThat(a.told).as("a yield tells nothing: the source yielding knows").containsExactly("elected");

            electionB.close();
            await(() -> a.told.size() == 2 && electionA.lease().valid(), "a, queued again, leads after b left");
            assertThat(a.told).containsExactly("elected", "elected");
            assertThat(electionB.lease().valid()).isFalse();
            electionA.close();
            engineA.close();
            engineB.close();
        }
    }

    /** The new leader's role is set just before its container starts, so a stopped container is waited out too. */
    private static void awaitStreaming(ConfigurableApplicationContext context) throws InterruptedException {
        var container = context.getBean(dev.canalboot.listener.CanalListenerEndpointRegistry.class)
                .getListenerContainer("default");
        await(() -> {
            try {
                return container.awaitStarted(java.time.Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, "the leader's container streams");
    }

    private static CuratorFramework client(TestingServer zk) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zk.getConnectString())
                .sessionTimeoutMs(2000).connectionTimeoutMs(2000).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        assertThat(client.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return client;
    }

    private ApplicationContextRunner runner(EmbeddedDatabase db, DataSource ds, String instance,
                                            CuratorFramework client) {
        DatabaseUser user = db.nativePasswordUser();
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class, CanalHaAutoConfiguration.class))
                .withUserConfiguration(JdbcLeaderElectionIT.ItemListener.class)
                .withBean(DataSource.class, () -> ds)
                .withBean(CuratorFramework.class, () -> client)
                .withPropertyValues("canal.source.host=" + db.host(), "canal.source.port=" + db.port(),
                        "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                        "canal.source.server-id=7301", "canal.source.start.mode=latest",
                        "canal.source.ha.mode=zookeeper", "canal.checkpoint.store=jdbc",
                        "canal.ha.zookeeper.session-timeout=2s", "canal.ha.instance-id=" + instance);
    }
}
