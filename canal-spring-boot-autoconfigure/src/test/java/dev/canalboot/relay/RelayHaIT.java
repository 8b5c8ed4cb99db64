package dev.canalboot.relay;

import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.ha.HaCoordinator;
import dev.canalboot.ha.HaRole;
import dev.canalboot.ha.SourceLeadership;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.testsupport.JvmKillLoop;
import dev.canalboot.testsupport.RelayFixture;
import dev.canalboot.testsupport.RelayKillMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay under high availability ({@code ha.mode=jdbc}, JDBC checkpoints, MySQL 8.0.31): two instances relay the
 * same source to the same three-partition topic. Instance a (its own JVM) leads and relays; instance b (in this JVM)
 * stands by with its relay's producer sending nothing; a is killed with SIGKILL while a writer commits; b takes over
 * from a's checkpoint. Every committed change is in Kafka at least once, each key's values in order (a step back to
 * the checkpoint, never a gap), and b sent nothing before it led.
 */
class RelayHaIT {

    private static final String SCHEMA = "relay_ha";
    private static final String STATE = "relay_ha_state";
    private static final int KEYS = 20;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    @Test
    void onlyTheLeaderRelaysAndTheStandbyTakesOverWithNothingLost() throws Exception {
        RelayFixture servers = RelayFixture.servers();
        EmbeddedMySql db = servers.db;
        String topic = SCHEMA + "_" + System.nanoTime();
        servers.createTopic(topic, 3);
        db.execute("DROP DATABASE IF EXISTS " + STATE, "CREATE DATABASE " + STATE);
        RelayedCounters counters = new RelayedCounters(servers, SCHEMA, KEYS);
        String[] start = counters.binlogEnd();
        List<String> arguments = servers.relayingSourceArguments("canal.source", topic, 3);
        arguments.addAll(List.of("--canal.source.server-id=7301", "--canal.source.ha.mode=jdbc",
                "--canal.ha.jdbc.lease=1s", "--canal.checkpoint.store=jdbc", "--test.jdbc-url=" + db.jdbcUrl(STATE),
                "--test.jdbc-user=" + db.rootUser(), "--test.jdbc-password=" + db.rootPassword(),
                "--canal.source.start.mode=position", "--canal.source.start.file=" + start[0],
                "--canal.source.start.position=" + start[1]));
        Path outputA = work.resolve("a.out");
        Process a = JvmKillLoop.java(outputA, RelayKillMain.class, with(arguments, "--canal.ha.instance-id=a"));
        ConfigurableApplicationContext b = null;
        try {
            await(() -> output(outputA).contains("READY"), 120, "instance a leads and relays", outputA);
            assertThat(holder(db)).isEqualTo("a");
            b = RelayKillMain.start(with(arguments, "--canal.ha.instance-id=b"));
            SourceLeadership standby = b.getBean(HaCoordinator.class).getLeaderships().get("default");
            KafkaRelay relayOfB = b.getBean(CanalRelays.class).relay("default").relay();

            counters.write(40, () -> false, 5);
            await(() -> counters.arrived(topic) == counters.committed(), 60, "a relayed every change", outputA);
            assertThat(standby.getRole()).isEqualTo(HaRole.STANDBY);
            assertThat(standby.getLeader()).hasValueSatisfying(leader -> assertThat(leader.holder()).isEqualTo("a"));
            assertThat(b.getBean(CanalListenerEndpointRegistry.class).getListenerContainer("default").getState())
                    .isEqualTo(ContainerState.STOPPED);
            assertThat(relayOfB.messagesSent()).as("messages the standby sent").isZero();

            // a is killed while the writer commits (until b leads, and a tail); b takes over from a's checkpoint
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    counters.write(40, () -> standby.getRole() != HaRole.LEADER, 5);
                } catch (Exception e) {
                    throw new IllegalStateException("writer failed", e);
                }
            });
            Thread.sleep(1500);
            a.destroyForcibly().waitFor();
            assertThat(relayOfB.messagesSent()).as("messages the standby sent before a was killed").isZero();
            await(() -> standby.getRole() == HaRole.LEADER, 60, "instance b takes over", outputA);
            writing.get(120, TimeUnit.SECONDS);
            await(() -> counters.arrived(topic) == counters.committed(), 60, "b relayed the rest", outputA);

            RelayedCounters.Check check = counters.check(topic);
            assertThat(check.problems()).as("per-key values in Kafka").isEmpty();
            assertThat(check.keys()).isEqualTo(KEYS);
            assertThat(relayOfB.messagesSent()).as("messages b sent once it led").isPositive();
            // The HA and checkpoint tables live on the relayed server: their rows change with every lease renewal
            // and checkpoint, and the relay publishes none of them
            long stateMessages = servers.records(topic).stream()
                    .filter(r -> JSON.readTree(r.value()).get("database").asString().equals(STATE)).count();
            System.out.printf("Relay HA test: %d changes committed, %d rows in Kafka (%d duplicates, %d steps back),"
                            + " %d messages sent by the new leader, %d messages of the HA and checkpoint tables%n",
                    counters.committed(), check.records(), check.records() - counters.committed(), check.stepsBack(),
                    relayOfB.messagesSent(), stateMessages);
            assertThat(stateMessages).as("messages of this starter's own tables").isZero();
        } finally {
            a.destroyForcibly().waitFor();
            if (b != null) {
                b.close();
            }
            db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "DROP DATABASE IF EXISTS " + STATE);
        }
    }

    private static String[] with(List<String> arguments, String more) {
        List<String> all = new ArrayList<>(arguments);
        all.add(more);
        return all.toArray(String[]::new);
    }

    /** The holder of the latest claimed epoch of source {@code default}. */
    private static String holder(EmbeddedMySql db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(STATE), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT HOLDER FROM CANAL_HA_EPOCH WHERE SOURCE_NAME = 'default'")) {
            assertThat(rs.next()).as("an epoch was claimed").isTrue();
            return rs.getString(1);
        }
    }

    private static String output(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void await(BooleanSupplier condition, int seconds, String what, Path output) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("within %d s: %s; output of a:%n%s", seconds, what,
                    output(output)).isNegative();
            Thread.sleep(100);
        }
    }
}
