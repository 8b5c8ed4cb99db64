package dev.canalboot.actuate;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeType;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.TestContainers.MutableClock;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.canalboot.testsupport.TestContainers.row;
import static dev.canalboot.testsupport.TestContainers.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** One monitor per listener container, made on first use, and the lag fed from acknowledged batches. */
class SourceMonitorsTest {

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final CanalListenerEndpointRegistry registry = new CanalListenerEndpointRegistry();
    private final SourceMonitors monitors = new SourceMonitors(() -> registry, clock);

    SourceMonitorsTest() {
        registry.createContainers(List.of(endpoint("b"), endpoint("a")),
                List.of(new InMemoryChangeSource("b"), new InMemoryChangeSource("a"),
                        new InMemoryChangeSource("unlistened")),
                ContainerSettings.defaults());
    }

    private static ListenerEndpoint endpoint(String source) {
        return new ListenerEndpoint(source, "test#" + source, List.of(TablePattern.parse("shop.orders")), Set.of(),
                source, new RecordingInvoker());
    }

    @Test
    void oneMonitorPerContainerInSourceOrderMadeOnce() {
        assertThat(monitors.names()).containsExactly("b", "a");
        SourceMonitor a = monitors.get("a");
        assertThat(a.container()).isSameAs(registry.getListenerContainer("a"));
        assertThat(monitors.all()).extracting(SourceMonitor::name).containsExactly("b", "a");
        assertThat(monitors.all().get(1)).isSameAs(a);
        assertThat(monitors.get("unlistened")).as("no container, no monitor").isNull();
        assertThat(monitors.get("nope")).isNull();
        assertThat(monitors.clock()).isSameAs(clock);
    }

    @Test
    void withoutARegistryThereAreNoMonitors() {
        SourceMonitors none = new SourceMonitors(() -> null, clock);
        assertThat(none.all()).isEmpty();
        assertThat(none.names()).isEmpty();
        assertThat(none.get("a")).isNull();
    }

    @Test
    void anAcknowledgedBatchSetsTheLagFromItsLastCommitTime() {
        var orders = table("shop", "orders");
        monitors.batchAcknowledged("a", new ChangeBatch(1, List.of(
                row("a", orders, ChangeType.INSERT, 1, clock.now().minusSeconds(9)),
                row("a", orders, ChangeType.INSERT, 2, clock.now().minusSeconds(4)))));
        SourceMonitor a = monitors.get("a");
        assertThat(a.lagMillis()).isEqualTo(4_000);
        assertThat(a.lastDeliveredCommitTime()).isEqualTo(clock.now().minusSeconds(4));
        clock.advance(Duration.ofSeconds(6));
        assertThat(a.lag()).as("nothing newer heard: the lag grows").isEqualTo(Duration.ofSeconds(10));
        assertThat(monitors.get("b").lag()).as("other sources are untouched").isNull();
    }

    @Test
    void anEmptyAcknowledgedBatchMeansCaughtUpNow() {
        var orders = table("shop", "orders");
        monitors.batchAcknowledged("a", new ChangeBatch(1, List.of(
                row("a", orders, ChangeType.INSERT, 1, clock.now().minusSeconds(60)))));
        clock.advance(Duration.ofSeconds(5));
        monitors.batchAcknowledged("a", new ChangeBatch(2, List.of()));
        assertThat(monitors.get("a").lagMillis()).isZero();
        clock.advance(Duration.ofSeconds(2));
        assertThat(monitors.get("a").lagMillis()).isEqualTo(2_000);
    }

    @Test
    void aBatchOfASourceWithoutContainerIsIgnored() {
        assertThatCode(() -> monitors.batchAcknowledged("unlistened", new ChangeBatch(1, List.of())))
                .doesNotThrowAnyException();
        assertThat(monitors.get("unlistened")).isNull();
    }
}
