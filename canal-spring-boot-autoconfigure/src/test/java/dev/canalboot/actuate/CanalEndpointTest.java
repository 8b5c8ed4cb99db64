package dev.canalboot.actuate;

import dev.canalboot.actuate.CanalEndpoint.SourceDescriptor;
import dev.canalboot.testsupport.TestContainers.Fixture;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.listener.container.ListenerConcurrency;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.TableSchema;
import dev.canalboot.source.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static dev.canalboot.testsupport.TestContainers.endpoint;
import static dev.canalboot.testsupport.TestContainers.row;
import static dev.canalboot.testsupport.TestContainers.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CanalEndpointTest {

    private static final TableSchema ORDERS = table("shop", "orders");

    private final InMemoryChangeSource source = new InMemoryChangeSource("main");
    private final RecordingInvoker invoker = new RecordingInvoker();
    private final Fixture fixture = new Fixture(source, 10, endpoint("orders", invoker, "shop.orders"));
    private final CanalEndpoint endpoint = new CanalEndpoint(fixture.monitors);

    @AfterEach
    void stop() {
        fixture.container.stop();
    }

    @Test
    void describesSourcesWithListenersAndCounts() {
        fixture.container.start();
        source.awaitAcked(source.offer(row("main", ORDERS, ChangeType.INSERT, 1, fixture.clock.now().minusSeconds(3))));
        InMemoryChangeSource.await(() -> endpoint.source("main").counts().rowsDelivered() == 1, "row counted");

        SourceDescriptor main = endpoint.sources().sources().get("main");
        assertThat(main.type()).isEqualTo("InMemoryChangeSource");
        assertThat(main.sourceState()).isEqualTo("CONNECTED");
        assertThat(main.containerState()).isEqualTo("RUNNING");
        assertThat(main.position().file()).isEqualTo("binlog.000001");
        assertThat(main.lagMillis()).isEqualTo(3_000L);
        assertThat(main.counts().batches()).isEqualTo(1);
        assertThat(main.counts().bytesRead()).isNull(); // this source does not count bytes
        assertThat(main.listeners()).singleElement().satisfies(listener -> {
            assertThat(listener.id()).isEqualTo("orders");
            assertThat(listener.tables()).containsExactly("shop.orders");
            assertThat(listener.events()).containsExactlyInAnyOrder("INSERT", "UPDATE", "DELETE", "SNAPSHOT");
        });
        assertThat(endpoint.source("unknown")).isNull();
    }

    @Test
    void showsTheConcurrencyAndOrderingInForce() {
        assertThat(endpoint.source("main").concurrency()).satisfies(serial -> {
            assertThat(serial.workers()).isEqualTo(1);
            assertThat(serial.ordering()).isEqualTo("binlog");
            assertThat(serial.queueDepths()).isEmpty();
        });

        InMemoryChangeSource concurrentSource = new InMemoryChangeSource("main");
        Fixture concurrent = new Fixture(concurrentSource, 10, settings -> settings.withConcurrency(
                new ListenerConcurrency(8, ListenerConcurrency.Ordering.TABLE, 3)), endpoint("orders", invoker, "shop.orders"));
        concurrent.container.start();
        try {
            concurrentSource.awaitAcked(concurrentSource.offer(
                    row("main", ORDERS, ChangeType.INSERT, 1, concurrent.clock.now())));
            CanalEndpoint.ConcurrencyDescriptor shown = new CanalEndpoint(concurrent.monitors).source("main").concurrency();
            assertThat(shown.workers()).isEqualTo(8);
            assertThat(shown.ordering()).isEqualTo("table");
            assertThat(shown.maxInFlight()).isEqualTo(3);
            assertThat(shown.queueDepths()).hasSize(8);
        } finally {
            concurrent.container.stop();
        }
    }

    @Test
    void pauseResumeAndRestartAfterAFailure() {
        fixture.container.start();
        endpoint.control("main", "pause");
        InMemoryChangeSource.await(() -> fixture.container.getState() == ContainerState.PAUSED, "paused");
        assertThat(endpoint.source("main").paused()).isTrue();
        endpoint.control("main", "RESUME");
        InMemoryChangeSource.await(() -> fixture.container.getState() == ContainerState.RUNNING, "running");

        source.failNextPoll(new SourceException("server went away", null, false));
        InMemoryChangeSource.await(() -> fixture.container.getState() == ContainerState.FAILED, "failed");
        assertThat(endpoint.source("main").lastError()).isEqualTo("server went away");

        endpoint.control("main", "restart");
        InMemoryChangeSource.await(() -> fixture.container.getState() == ContainerState.RUNNING, "running again");
        assertThat(source.starts()).isEqualTo(2);
        assertThat(endpoint.source("main").lastError()).isNull();
        source.awaitAcked(source.offer(row("main", ORDERS, ChangeType.INSERT, 2, fixture.clock.now())));
        assertThat(invoker.received).hasSize(1);
    }

    @Test
    void unknownSourceOrActionIsABadRequestNamingTheChoices() {
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.control("nope", "pause"))
                .withMessageContaining("'nope'").withMessageContaining("[main]");
        assertThatExceptionOfType(InvalidEndpointRequestException.class)
                .isThrownBy(() -> endpoint.control("main", "jump"))
                .withMessageContaining("'jump'").withMessageContaining("[pause, resume, restart, snapshot]");
    }
}
