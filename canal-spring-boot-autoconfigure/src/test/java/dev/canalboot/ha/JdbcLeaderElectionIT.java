package dev.canalboot.ha;

import dev.canalboot.actuate.CanalEndpoint;
import dev.canalboot.actuate.CanalHaMetrics;
import dev.canalboot.actuate.CanalHealthContributor;
import dev.canalboot.actuate.SourceMonitors;
import dev.canalboot.autoconfigure.CanalAutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import dev.canalboot.autoconfigure.CanalHaAutoConfiguration;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.JdbcCheckpointStore;
import dev.canalboot.checkpoint.StaleEpochException;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.Row;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ha.mode=jdbc} on real servers: two application contexts elect one reader of a binlog source through a
 * lock row in the shared database; the other stands by and takes over from the shared checkpoint when the leader
 * goes; the checkpoint table refuses the deposed leader's epoch, and a leader whose write is refused steps down.
 */
class JdbcLeaderElectionIT {

    private static final String SCHEMA = "ha_jdbc";
    /** The election and checkpoint tables: in a schema of their own, so that the listener sees only the items. */
    private static final String STATE = "ha_jdbc_state";

    private ApplicationContextRunner runner(EmbeddedDatabase db, String product, String instance, DataSource ds) {
        DatabaseUser user = db.nativePasswordUser();
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class, CanalHaAutoConfiguration.class))
                .withUserConfiguration(ItemListener.class)
                .withBean(DataSource.class, () -> ds)
                .withPropertyValues("canal.source.host=" + db.host(), "canal.source.port=" + db.port(),
                        "canal.source.username=" + user.name(), "canal.source.password=" + user.password(),
                        "canal.source.server-id=" + (product.equals("mysql") ? 7101 : 7102),
                        "canal.source.start.mode=latest", "canal.source.ha.mode=jdbc",
                        "canal.checkpoint.store=jdbc", "canal.checkpoint.jdbc.table=ha_checkpoint_" + product,
                        "canal.ha.jdbc.table-prefix=HA_" + product.toUpperCase() + "_",
                        "canal.ha.jdbc.lease=1s", "canal.ha.instance-id=" + instance);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mysql", "mariadb"})
    void oneInstanceReadsTheOtherTakesOverAndTheStoreFencesTheDeposedLeader(String product) throws Exception {
        EmbeddedDatabase db = product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
        String table = SCHEMA + ".items_" + product;
        db.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA, "CREATE DATABASE IF NOT EXISTS " + STATE,
                "DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY)",
                "DROP TABLE IF EXISTS " + STATE + ".ha_checkpoint_" + product,
                "DROP TABLE IF EXISTS " + STATE + ".HA_" + product.toUpperCase() + "_LOCK",
                "DROP TABLE IF EXISTS " + STATE + ".HA_" + product.toUpperCase() + "_EPOCH");
        DriverManagerDataSource ds = new DriverManagerDataSource(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());

        ConfigurableApplicationContext b;
        runner(db, product, "a", ds).run(a -> {
            assertThat(a).hasNotFailed();
            await(() -> role(a) == HaRole.LEADER, "instance a leads");
            runner(db, product, "b", ds).run(bContext -> {
                assertThat(bContext).hasNotFailed();
                Thread.sleep(2500); // more than two leases: a renews, b stays a standby
                assertThat(role(a)).isEqualTo(HaRole.LEADER);
                assertThat(role(bContext)).isEqualTo(HaRole.STANDBY);
                assertThat(bContext.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("default")
                        .getState()).isEqualTo(ContainerState.STOPPED);
                SourceLeadership standby = leadership(bContext);
                assertThat(standby.getLeader()).hasValueSatisfying(e -> assertThat(e.holder()).isEqualTo("a"));
                assertVisible(a, "leader", 1);
                assertVisible(bContext, "standby", 0);

                a.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("default")
                        .awaitStarted(java.time.Duration.ofSeconds(30));
                insert(db, table, 1, 2, 3);
                List<Long> byA = take(a, 3);
                assertThat(byA).containsExactly(1L, 2L, 3L);
                long epochA = leadership(a).getEpoch().value();

                a.close(); // a graceful stop: a leaves the election, b takes over from the shared checkpoint
                await(() -> role(bContext) == HaRole.LEADER, "instance b takes over");
                assertThat(leadership(bContext).getEpoch().value()).isGreaterThan(epochA);
                insert(db, table, 4, 5);
                assertThat(take(bContext, 2)).containsExactly(4L, 5L);
                assertThat(item(bContext).ids).isEmpty(); // nothing before 4 again: resumed from a's checkpoint

                // a's epoch is refused by the checkpoint table now
                JdbcCheckpointStore store = new JdbcCheckpointStore(ds, "ha_checkpoint_" + product);
                Checkpoint current = store.load("default").orElseThrow();
                assertThatThrownBy(() -> store.save(new Checkpoint("default", current.file(), 4, null,
                        Instant.now()), epochA)).isInstanceOf(StaleEpochException.class);
                assertThat(store.load("default").orElseThrow().position()).as("nothing of the refused write")
                        .isNotEqualTo(4);

                // Another leader claims a newer epoch behind b's back: b's next write is refused and b steps down.
                long epochB = leadership(bContext).getEpoch().value();
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE HA_" + product.toUpperCase() + "_EPOCH SET EPOCH = " + (epochB + 1));
                    s.executeUpdate("UPDATE ha_checkpoint_" + product + " SET leader_epoch = " + (epochB + 1));
                }
                insert(db, table, 6);
                await(() -> leadership(bContext).getElections() >= 2
                        && leadership(bContext).getEpoch() != null
                        && leadership(bContext).getEpoch().value() > epochB + 1, "b stepped down and was elected again");
                assertThat(leaderEpochOfCheckpoint(ds, product)).isGreaterThan(epochB + 1);
            });
        });
    }

    /**
     * The election alone, two instances on one lock row of MySQL: one leads with a valid lease, the other polls;
     * the leader leaves and the other takes the row once it expired.
     */
    @Test
    void oneOfTwoElectionsLeadsWithAValidLeaseAndTheOtherTakesOverWhenItLeaves() throws Exception {
        EmbeddedDatabase db = TestServers.mysql();
        db.execute("CREATE DATABASE IF NOT EXISTS " + STATE, "DROP TABLE IF EXISTS " + STATE + ".HA_DIRECT_LOCK",
                "DROP TABLE IF EXISTS " + STATE + ".HA_DIRECT_EPOCH");
        DriverManagerDataSource ds = new DriverManagerDataSource(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
        Duration lease = Duration.ofSeconds(1);
        try (JdbcHaEngine engineA = new JdbcHaEngine(ds, "HA_DIRECT_", "a", lease);
             JdbcHaEngine engineB = new JdbcHaEngine(ds, "HA_DIRECT_", "b", lease)) {
            RecordingElectionListener a = new RecordingElectionListener();
            RecordingElectionListener b = new RecordingElectionListener();
            LeaderElection electionA = engineA.election("direct", "a", a);
            LeaderElection electionB = engineB.election("direct", "b", b);
            assertThat(electionA.describe()).isEqualTo("lock 'canal-source:direct' in table HA_DIRECT_LOCK, lease PT1S");
            assertThat(electionA.lease().valid()).as("no lease before the election").isFalse();
            electionA.start();
            await(() -> a.leading && electionA.lease().valid(), "a elected with a valid lease");
            electionB.start();
            Thread.sleep(2500); // more than two leases: a renews its row, b keeps polling
            assertThat(b.leading).isFalse();
            assertThat(a.told).as("never deposed").containsExactly("elected");
            // valid from each renewal for 0.8 of the lease: awaited, a loaded machine may renew late
            await(() -> electionA.lease().valid(), "a's lease renewed by the heartbeat");
            assertThat(electionB.lease().valid()).isFalse();

            electionA.close();
            assertThat(electionA.lease().valid()).as("ended with the election").isFalse();
            await(() -> b.leading && electionB.lease().valid(), "b takes the lock row over");
            electionB.close();
        }
    }

    /** What an election told its source. */
    static final class RecordingElectionListener implements ElectionListener {
        volatile boolean leading;
        final List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void elected() {
            leading = true;
            told.add("elected");
        }

        @Override
        public void deposed(String reason) {
            leading = false;
            told.add("deposed: " + reason);
        }
    }

    /** Health, the endpoint and the meters tell this instance's role and who leads. */
    private static void assertVisible(ConfigurableApplicationContext context, String role, int leaderGauge) {
        CanalListenerEndpointRegistry registry = context.getBean(CanalListenerEndpointRegistry.class);
        HaCoordinator coordinator = context.getBean(HaCoordinator.class);
        var lookup = HaCoordinator.lookup(() -> coordinator);
        SourceMonitors monitors = new SourceMonitors(() -> registry, Clock.systemUTC());
        Health health = (Health) ((HealthIndicator) new CanalHealthContributor(monitors, Duration.ofMinutes(1),
                Duration.ofMinutes(1), lookup).getContributor("default")).health();
        assertThat(health.getStatus()).as("a %s is healthy", role).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("role", role).containsEntry("leader", "a");
        CanalEndpoint.HaDescriptor ha = new CanalEndpoint(monitors).withLeaderships(lookup).source("default").ha();
        assertThat(ha.role()).isEqualTo(role);
        assertThat(ha.leader()).isEqualTo("a");
        assertThat(ha.mode()).isEqualTo("jdbc");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new CanalHaMetrics(Map.of("default", "jdbc"), lookup).bindTo(meters);
        assertThat(meters.get("canal.ha.leader").tag("source", "default").gauge().value()).isEqualTo(leaderGauge);
        assertThat(meters.get("canal.ha.elections").functionCounter().count()).isEqualTo(leaderGauge);
    }

    static long leaderEpochOfCheckpoint(DataSource ds, String product) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT leader_epoch FROM ha_checkpoint_" + product)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    static SourceLeadership leadership(ConfigurableApplicationContext context) {
        return context.getBean(HaCoordinator.class).getLeaderships().get("default");
    }

    static HaRole role(ConfigurableApplicationContext context) {
        return leadership(context).getRole();
    }

    static ItemListener item(ConfigurableApplicationContext context) {
        return context.getBean(ItemListener.class);
    }

    static List<Long> take(AssertableApplicationContext context, int n) throws InterruptedException {
        return take((ConfigurableApplicationContext) context, n);
    }

    static List<Long> take(ConfigurableApplicationContext context, int n) throws InterruptedException {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Long id = item(context).ids.poll(30, TimeUnit.SECONDS);
            assertThat(id).as("row %d of %d", i + 1, n).isNotNull();
            ids.add(id);
        }
        return ids;
    }

    static void insert(EmbeddedDatabase db, String table, long... ids) {
        for (long id : ids) {
            db.execute("INSERT INTO " + table + " VALUES (" + id + ")");
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("within 30 s: " + what).isNegative();
            Thread.sleep(20);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ItemListener {
        final BlockingQueue<Long> ids = new LinkedBlockingQueue<>();

        @CanalListener(table = "ha_jdbc.*")
        void onItem(Row row) {
            ids.add(row.getLong("id"));
        }
    }
}
