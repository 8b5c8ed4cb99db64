package dev.canalboot.actuate;

import dev.canalboot.testsupport.TestContainers.Fixture;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeType;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.source.SourceStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.time.Instant;

import static dev.canalboot.testsupport.TestContainers.endpoint;
import static dev.canalboot.testsupport.TestContainers.row;
import static dev.canalboot.testsupport.TestContainers.table;
import static org.assertj.core.api.Assertions.assertThat;

class SourceHealthIndicatorTest {

    /** A source whose connection state the test sets, with a server address carrying credentials. */
    static final class ControlledSource extends InMemoryChangeSource implements SourceStatistics {

        volatile SourceState forced;
        volatile Instant heartbeat;
        volatile String stalled;

        ControlledSource(String name) {
            super(name);
        }

        @Override
        public SourceState state() {
            return forced != null ? forced : super.state();
        }

        @Override
        public SourceStatistics statistics() {
            return this;
        }

        @Override
        public String server() {
            return "mysql://repl:s3cret@db1:3306";
        }

        @Override
        public Instant lastHeartbeat() {
            return heartbeat;
        }

        @Override
        public String stalled() {
            return stalled;
        }
    }

    private final ControlledSource source = new ControlledSource("main");
    private final RecordingInvoker invoker = new RecordingInvoker();
    private final Fixture fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
    private final CanalHealthContributor contributor =
            new CanalHealthContributor(fixture.monitors, Duration.ofSeconds(60), Duration.ofSeconds(30));

    @AfterEach
    void stop() {
        fixture.container.stop();
    }

    private Health health() {
        return ((SourceHealthIndicator) contributor.getContributor("main")).health();
    }

    @Test
    void compositeHasOneChildPerSourceWithAContainer() {
        assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly("main");
        assertThat(contributor.getContributor("nope")).isNull();
    }

    @Test
    void unknownUntilTheContainerRuns() {
        assertThat(health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health().getDetails()).containsEntry("containerState", "STOPPED");
    }

    @Test
    void upWhenConnectedAndCaughtUpThenLaggingThenUpAgain() {
        fixture.container.start();
        awaitRunning();
        assertThat(health().getStatus()).isEqualTo(Status.UP);

        deliverCommittedAt(fixture.clock.now().minusSeconds(5), 1);
        Health up = health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("lagMillis", 5_000L).containsEntry("sourceState", "CONNECTED")
                .containsKey("position").containsEntry("server", "mysql://db1:3306");
        assertThat(up.getDetails().values()).noneMatch(value -> String.valueOf(value).contains("s3cret"));

        fixture.clock.advance(Duration.ofSeconds(90));
        Health lagging = health();
        assertThat(lagging.getStatus()).isEqualTo(SourceHealthIndicator.LAGGING);
        assertThat(lagging.getDetails()).containsEntry("lagMillis", 95_000L);

        // A heartbeat with nothing read since the last delivery: the source is idle, not behind.
        source.heartbeat = fixture.clock.now().minusSeconds(2);
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        assertThat(health().getDetails()).containsEntry("lagMillis", 2_000L);
    }

    @Test
    void reconnectingIsUpWithinTheGracePeriodAndDownAfterIt() {
        fixture.container.start();
        awaitRunning();
        source.forced = SourceState.RECONNECTING;
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        fixture.clock.advance(Duration.ofSeconds(29));
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        assertThat(health().getDetails()).containsEntry("disconnectedFor", "PT29S");
        fixture.clock.advance(Duration.ofSeconds(2));
        Health down = health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("sourceState", "RECONNECTING");

        source.forced = null; // connected again
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        assertThat(health().getDetails()).doesNotContainKey("disconnectedFor");
    }

    @Test
    void downWhenTheContainerStoppedOnAnErrorWithTheMessageButNoCredentials() {
        fixture.container.start();
        awaitRunning();
        source.failNextPoll(new SourceException(
                "Access denied reading jdbc:mysql://repl:s3cret@db1:3306 (password=s3cret)", null, false));
        InMemoryChangeSource.await(() -> fixture.container.getState() == ContainerState.FAILED, "container failed");
        Health down = health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) down.getDetails().get("lastError")).contains("Access denied reading jdbc:mysql://db1:3306")
                .doesNotContain("s3cret");
    }

    @Test
    void downWhileTheServerIsStalledThoughConnectedAndUpWhenItDeliversAgain() {
        fixture.container.start();
        awaitRunning();
        source.heartbeat = fixture.clock.instant(); // answers every fetch with nothing, as an idle server does
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        source.stalled = "no change from the Canal server since ...";
        Health down = health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("stalled", "no change from the Canal server since ...")
                .containsEntry("sourceState", "CONNECTED");
        assertThat(new CanalEndpoint(fixture.monitors).source("main").stalled()).isEqualTo("no change from the Canal server since ...");
        source.stalled = null;
        assertThat(health().getStatus()).isEqualTo(Status.UP);
        assertThat(health().getDetails()).doesNotContainKey("stalled");
    }

    private void awaitRunning() {
        InMemoryChangeSource.await(() -> fixture.container.getState() == ContainerState.RUNNING, "container running");
    }

    private void deliverCommittedAt(Instant committed, long acknowledgedBatches) {
        ChangeBatch batch = source.offer(row("main", table("shop", "orders"), ChangeType.INSERT, 1, committed));
        source.awaitAcked(batch);
        InMemoryChangeSource.await(() -> fixture.meters.get("canal.batches").tag("outcome", "acknowledged").timer()
                .count() == acknowledgedBatches, "batch counted");
    }
}
