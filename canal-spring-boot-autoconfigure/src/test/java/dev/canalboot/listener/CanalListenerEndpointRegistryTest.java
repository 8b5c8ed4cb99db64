package dev.canalboot.listener;

import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.testsupport.Events;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.TestContainers.RecordingInvoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing endpoints to sources, one container per source with listeners, and their lifecycle. */
class CanalListenerEndpointRegistryTest {

    private final InMemoryChangeSource a = new InMemoryChangeSource("a");
    private final InMemoryChangeSource b = new InMemoryChangeSource("b");
    private final CanalListenerEndpointRegistry registry = new CanalListenerEndpointRegistry();

    @AfterEach
    void stop() {
        registry.destroy();
    }

    private static ListenerEndpoint endpoint(String id, String source) {
        return new ListenerEndpoint(id, "bean#" + id, List.of(TablePattern.parse("shop.*")), Set.of(), source,
                new RecordingInvoker());
    }

    @Test
    void anEndpointWithoutSourceGoesToTheOnlySourceAndASourceWithoutListenersGetsNoContainer() {
        registry.createContainers(List.of(endpoint("one", ""), endpoint("two", "a")), List.of(a),
                ContainerSettings.defaults());
        assertThat(registry.getListenerContainers()).hasSize(1);
        assertThat(registry.getListenerContainer("a").getEndpoints()).extracting(ListenerEndpoint::id)
                .containsExactly("one", "two");
        assertThat(registry.getEndpoints()).hasSize(2);

        CanalListenerEndpointRegistry two = new CanalListenerEndpointRegistry();
        two.createContainers(List.of(endpoint("one", "b")), List.of(a, b), ContainerSettings.defaults());
        assertThat(two.getListenerContainer("a")).as("no listener: not created, never started").isNull();
        assertThat(two.getListenerContainers()).extracting(CanalListenerContainer::getSourceName)
                .containsExactly("b");
    }

    @Test
    void withoutAnySourceTheEndpointsReceiveNothingAndNoContainerExists() {
        registry.createContainers(List.of(endpoint("one", "")), List.of(), ContainerSettings.defaults());
        assertThat(registry.getListenerContainers()).isEmpty();
    }

    @Test
    void noSourceNamedWhileSeveralExistNamesTheSourcesAndTheFix() {
        assertThatThrownBy(() -> registry.createContainers(List.of(endpoint("one", "")), List.of(a, b),
                ContainerSettings.defaults()))
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessage("@CanalListener bean#one: names no source but there are 2 sources [a, b]; "
                        + "set source = \"...\"");
    }

    @Test
    void anUnknownSourceNamesTheConfiguredOnes() {
        assertThatThrownBy(() -> registry.createContainers(List.of(endpoint("one", "c")), List.of(a, b),
                ContainerSettings.defaults()))
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessage("@CanalListener bean#one: source 'c' is unknown; configured sources are [a, b]");
    }

    @Test
    void duplicateEndpointIdsAndSourceNamesAreRefused() {
        ListenerEndpoint first = endpoint("same", "a");
        ListenerEndpoint second = new ListenerEndpoint("same", "other#m", List.of(TablePattern.parse("shop.*")),
                Set.of(), "a", new RecordingInvoker());
        assertThatThrownBy(() -> registry.createContainers(List.of(first, second), List.of(a),
                ContainerSettings.defaults()))
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessage("@CanalListener other#m: endpoint id 'same' is already used by bean#same");
        assertThatThrownBy(() -> registry.createContainers(List.of(first), List.of(a, new InMemoryChangeSource("a")),
                ContainerSettings.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("both named 'a'");
        assertThat(registry.getListenerContainers()).isEmpty();
    }

    @Test
    void containersAreCreatedOnce() {
        registry.createContainers(List.of(endpoint("one", "a")), List.of(a), ContainerSettings.defaults());
        assertThatThrownBy(() -> registry.createContainers(List.of(endpoint("two", "a")), List.of(a),
                ContainerSettings.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessage("Listener containers were already created");
    }

    @Test
    void eachSourcesContainerGetsItsCustomizedSettings() {
        ContainerSettings shared = ContainerSettings.defaults();
        registry.createContainers(List.of(endpoint("one", "a"), endpoint("two", "b")), List.of(a, b), shared,
                (source, settings) -> source.equals("b") ? settings.withStartPaused(true) : settings);
        assertThat(registry.getListenerContainer("a").getSettings()).isEqualTo(shared);
        assertThat(registry.getListenerContainer("b").getSettings().startPaused()).isTrue();
    }

    @Test
    void startRunsTheContainersAndStopWithCallbackRunsItOnceAllStopped() throws Exception {
        registry.createContainers(List.of(endpoint("one", "a"), endpoint("two", "b")), List.of(a, b),
                ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(50)));
        registry.start();
        assertThat(registry.isRunning()).isTrue();
        ChangeBatch batch = b.offer(new Events("b").insert(ORDERS, order(1, "A", "1.00", 1)));
        b.awaitAcked(batch);

        CountDownLatch stopped = new CountDownLatch(1);
        registry.stop(stopped::countDown);
        assertThat(stopped.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.getListenerContainers()).extracting(CanalListenerContainer::getState)
                .containsOnly(ContainerState.STOPPED);
        assertThat(registry.isRunning()).isFalse();

        CountDownLatch none = new CountDownLatch(1);
        new CanalListenerEndpointRegistry().stop(none::countDown);
        assertThat(none.getCount()).as("without containers the callback runs at once").isZero();
    }

    @Test
    void aContainerWithoutAutoStartupWaitsForItsOwnStartUnlessTheRegistryIsNotAutoStartedEither() {
        registry.createContainers(List.of(endpoint("one", "a"), endpoint("two", "b")), List.of(a, b),
                ContainerSettings.defaults(),
                (source, settings) -> source.equals("b") ? settings.withAutoStartup(false) : settings);
        assertThat(registry.isAutoStartup()).isTrue();
        registry.start();
        assertThat(registry.getListenerContainer("a").isRunning()).isTrue();
        assertThat(registry.getListenerContainer("b").isRunning()).isFalse();

        CanalListenerEndpointRegistry manual = new CanalListenerEndpointRegistry();
        InMemoryChangeSource c = new InMemoryChangeSource("c");
        manual.createContainers(List.of(endpoint("three", "c")), List.of(c),
                ContainerSettings.defaults().withAutoStartup(false));
        assertThat(manual.isAutoStartup()).isFalse();
        manual.start(); // the user's own start
        try {
            assertThat(manual.getListenerContainer("c").isRunning()).isTrue();
        } finally {
            manual.destroy();
        }
    }
}
