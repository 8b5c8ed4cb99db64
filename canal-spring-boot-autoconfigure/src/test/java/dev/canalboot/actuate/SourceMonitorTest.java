package dev.canalboot.actuate;

import dev.canalboot.actuate.SourceHealthIndicatorTest.ControlledSource;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.TestContainers.Fixture;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.canalboot.testsupport.InMemoryChangeSource.await;
import static dev.canalboot.testsupport.TestContainers.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/** One source's view for health, metrics and the endpoint: connection downtime, lag and the last error. */
class SourceMonitorTest {

    private final ControlledSource source = new ControlledSource("main");
    private final Fixture fixture = new Fixture(source, 10, endpoint("orders", new RecordingInvoker(), "shop.orders"));
    private final SourceMonitor monitor = fixture.monitors.get("main");

    @AfterEach
    void stop() {
        fixture.container.stop();
    }

    private void startContainer() {
        fixture.container.start();
        await(() -> fixture.container.getState() == ContainerState.RUNNING, "container running");
    }

    @Test
    void downMeansTheContainerWantsToReadButTheSourceHasNoConnection() {
        for (ContainerState container : ContainerState.values()) {
            boolean wantsToRead = container == ContainerState.STARTING || container == ContainerState.RUNNING
                    || container == ContainerState.PAUSED;
            for (SourceState state : SourceState.values()) {
                boolean noConnection = state == SourceState.CONNECTING || state == SourceState.RECONNECTING
                        || state == SourceState.STOPPED || state == SourceState.FAILED;
                assertThat(SourceMonitor.isDisconnected(state, container)).as("%s / %s", state, container)
                        .isEqualTo(wantsToRead && noConnection);
            }
        }
    }

    @Test
    void aStoppedContainerIsNeverCountedAsDisconnected() {
        source.forced = SourceState.STOPPED;
        assertThat(monitor.sourceState()).isEqualTo(SourceState.STOPPED);
        fixture.clock.advance(Duration.ofMinutes(5));
        assertThat(monitor.disconnectedFor()).isZero();
    }

    @Test
    void disconnectionCountsFromTheFirstReadThatSawItAndEndsWithTheConnection() {
        startContainer();
        assertThat(monitor.disconnectedFor()).isZero();
        source.forced = SourceState.RECONNECTING;
        fixture.clock.advance(Duration.ofSeconds(30)); // nobody looked: not counted yet
        assertThat(monitor.disconnectedFor()).isZero();
        fixture.clock.advance(Duration.ofSeconds(7));
        assertThat(monitor.disconnectedFor()).isEqualTo(Duration.ofSeconds(7));
        fixture.clock.advance(Duration.ofSeconds(3));
        assertThat(monitor.sourceState()).as("reading the state tracks it as well").isEqualTo(SourceState.RECONNECTING);
        assertThat(monitor.disconnectedFor()).isEqualTo(Duration.ofSeconds(10));

        source.forced = SourceState.CONNECTED;
        assertThat(monitor.disconnectedFor()).isZero();
        source.forced = SourceState.FAILED;
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(monitor.disconnectedFor()).as("a new outage counts from its own start").isZero();
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(monitor.disconnectedFor()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theLagIsUnknownUntilTheSourceHeardFromTheServer() {
        assertThat(monitor.lag()).isNull();
        assertThat(monitor.lagMillis()).isEqualTo(LagTracker.UNKNOWN);
        assertThat(monitor.lastDeliveredCommitTime()).isNull();
        source.heartbeat = fixture.clock.now().minusSeconds(3);
        assertThat(monitor.lag()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theLastErrorIsToldWithoutCredentials() {
        assertThat(monitor.lastErrorMessage()).isNull();
        startContainer();
        source.failNextPoll(new SourceException("cannot read from mysql://repl:s3cret@db1:3306", null, false));
        await(() -> fixture.container.getState() == ContainerState.FAILED, "container failed");
        assertThat(monitor.lastErrorMessage()).contains("mysql://db1:3306").doesNotContain("s3cret");
    }

    @Test
    void itNamesItsSourceAndContainer() {
        assertThat(monitor.name()).isEqualTo("main");
        assertThat(monitor.source()).isSameAs(source);
        assertThat(monitor.container()).isSameAs(fixture.container);
        assertThat(monitor.statistics()).isSameAs(source);
        assertThat(monitor.containerState()).isEqualTo(ContainerState.STOPPED);
    }
}
