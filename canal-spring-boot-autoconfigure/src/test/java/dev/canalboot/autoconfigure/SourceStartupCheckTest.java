package dev.canalboot.autoconfigure;

import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.source.SourceException;
import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.TestContainers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check after the containers started: a source that failed for a reason retrying cannot fix fails the start
 * with {@code canal.fail-fast}, and only then. In-memory sources; the table-pattern warning needs a server
 * ({@link SourceStartupIT}).
 */
class SourceStartupCheckTest {

    private final CanalListenerEndpointRegistry registry = new CanalListenerEndpointRegistry();

    /** A source whose start fails as a refused login does. */
    private static InMemoryChangeSource failingToStart(String name, boolean retryable) {
        return new InMemoryChangeSource(name) {
            @Override
            public void start() {
                throw new SourceException("Access denied for user 'repl'", null, retryable);
            }
        };
    }

    private void startContainersOf(InMemoryChangeSource source) {
        registry.createContainers(List.of(TestContainers.endpoint("items", new TestContainers.RecordingInvoker(),
                "shop.items")), List.of(source), ContainerSettings.defaults().withPollTimeout(Duration.ofMillis(50)));
        registry.start();
    }

    private void awaitState(ContainerState state) {
        InMemoryChangeSource.await(() -> registry.getListenerContainers().get(0).getState() == state,
                "the container is " + state);
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    @Test
    void aSourceThatCannotStartFailsTheStartNamingItsPropertyPrefix() {
        CanalProperties properties = new CanalProperties();
        properties.getSources().put("orders", new SourceProperties());
        startContainersOf(failingToStart("orders", false));
        awaitState(ContainerState.FAILED);
        SourceStartupCheck check = new SourceStartupCheck(registry, properties);

        assertThatThrownBy(check::start).isInstanceOfSatisfying(SourceStartException.class, e -> {
            assertThat(e.getSourceName()).isEqualTo("orders");
            assertThat(e.getPropertyPrefix()).isEqualTo("canal.sources.orders");
            assertThat(e.getCause().getMessage()).isEqualTo("Access denied for user 'repl'");
            assertThat(e.getMessage()).isEqualTo("Source 'orders' could not start: Access denied for user 'repl'");
        });
    }

    @Test
    void aSourceNotConfiguredByPropertiesHasNoPrefix() {
        startContainersOf(failingToStart("mine", false));
        awaitState(ContainerState.FAILED);

        assertThatThrownBy(new SourceStartupCheck(registry, new CanalProperties())::start)
                .isInstanceOfSatisfying(SourceStartException.class, e -> {
                    assertThat(e.getSourceName()).isEqualTo("mine");
                    assertThat(e.getPropertyPrefix()).isNull();
                });
    }

    @Test
    void withFailFastOffTheStartGoesOnAndTheSourceStaysFailed() {
        CanalProperties properties = new CanalProperties();
        properties.setFailFast(false);
        startContainersOf(failingToStart("orders", false));
        awaitState(ContainerState.FAILED);
        SourceStartupCheck check = new SourceStartupCheck(registry, properties);

        assertThatNoException().isThrownBy(check::start);
        assertThat(check.isRunning()).isTrue();
        assertThat(registry.getListenerContainers().get(0).getState()).isEqualTo(ContainerState.FAILED);
    }

    @Test
    void aStartedSourcePassesAndTheCheckRunsInTheRegistrysPhase() {
        startContainersOf(new InMemoryChangeSource("orders"));
        awaitState(ContainerState.RUNNING);
        SourceStartupCheck check = new SourceStartupCheck(registry, new CanalProperties());

        assertThatNoException().isThrownBy(check::start);
        assertThat(check.isRunning()).isTrue();
        assertThat(check.getPhase()).isEqualTo(registry.getPhase());
        check.stop();
        assertThat(check.isRunning()).isFalse();
    }
}
