package dev.canalboot.relay;

import dev.canalboot.testsupport.JvmKillLoop;
import dev.canalboot.testsupport.RelayFixture;
import dev.canalboot.testsupport.RelayKillMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relaying JVM (a binlog source on MySQL 8.0.31 relaying to a three-partition topic, file checkpoints) is killed
 * with SIGKILL at random ({@code -Drelay.kills}, default 3) while a writer commits single-row UPDATEs that count
 * each of 20 keys' {@code seq} up from 1, about 40 a second, until the last kill is dealt and then 100 more; it is
 * started again each time and resumes from its checkpoint. Read back with a plain consumer: every committed value
 * of every key is in Kafka (at least once), and in each key's partition the values go up by one, except where a
 * restarted relay sends again from its checkpoint (a step back, never a gap: nothing lost, nothing out of order).
 * Steps back and duplicates are counted and printed.
 */
class RelayKillIT {

    private static final String SCHEMA = "relay_kill";
    private static final int KEYS = 20;
    /** Rounds of one UPDATE per key written after the last kill, so that the last launch relays some too. */
    private static final int TAIL_ROUNDS = 5;
    private static final int KILLS = Integer.getInteger("relay.kills", 3);

    @TempDir
    Path work;

    @Test
    void everyCommittedChangeIsInKafkaInPerKeyOrderWhileTheRelayIsKilled() throws Exception {
        RelayFixture servers = RelayFixture.servers();
        String topic = SCHEMA + "_" + System.nanoTime();
        servers.createTopic(topic, 3);
        RelayedCounters counters = new RelayedCounters(servers, SCHEMA, KEYS);
        Path checkpoints = Files.createDirectories(work.resolve("checkpoints"));
        // The first launch starts here, not at "latest": a kill before its first checkpoint must lose nothing either
        String[] start = counters.binlogEnd();
        List<String> arguments = servers.relayingSourceArguments("canal.source", topic, 3);
        arguments.addAll(List.of("--canal.checkpoint.file.directory=" + checkpoints,
                "--canal.source.start.mode=position", "--canal.source.start.file=" + start[0],
                "--canal.source.start.position=" + start[1]));
        long started = System.nanoTime();
        try {
            JvmKillLoop.Outcome outcome = JvmKillLoop.run(work, 1, KILLS, Duration.ofMillis(1500),
                    Duration.ofSeconds(60L + 40L * KILLS),
                    (instance, launch, output) -> JvmKillLoop.java(output, RelayKillMain.class,
                            arguments.toArray(String[]::new)),
                    killing -> counters.write(40, killing, TAIL_ROUNDS), () -> {
                        int arrived = counters.arrived(topic);
                        if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(90)) {
                            System.out.println("relay kill test: " + arrived + " of " + counters.committed()
                                    + " changes in Kafka");
                        }
                        return arrived == counters.committed();
                    });

            RelayedCounters.Check check = counters.check(topic);
            assertThat(check.problems()).as("per-key values in Kafka").isEmpty();
            assertThat(check.keys()).isEqualTo(KEYS);
            assertThat(outcome.killsWhileWriting()).as("kills while the writer committed").isPositive();
            System.out.printf("Relay kill test: %d kills (%d while writing), %d launches, %d changes committed, %d"
                            + " rows in Kafka (%d duplicates, %d steps back to a checkpoint), %.1f s%n", outcome.kills(),
                    outcome.killsWhileWriting(), outcome.outputs().size(), counters.committed(), check.records(),
                    check.records() - counters.committed(), check.stepsBack(), (System.nanoTime() - started) / 1e9);
        } finally {
            servers.db.execute("DROP DATABASE IF EXISTS " + SCHEMA);
        }
    }
}
