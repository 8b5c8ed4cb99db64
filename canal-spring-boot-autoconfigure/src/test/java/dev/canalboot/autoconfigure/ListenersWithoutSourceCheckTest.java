package dev.canalboot.autoconfigure;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.model.RowChange;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.testsupport.InMemoryChangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up fails when @CanalListener listeners exist but no source would feed them. */
class ListenersWithoutSourceCheckTest {

    @TempDir
    Path checkpoints;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                .withPropertyValues("canal.checkpoint.file.directory=" + checkpoints);
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {

        @CanalListener(table = "shop.orders")
        void onOrder(RowChange change) {
        }

        @CanalListener(table = "shop.customers")
        void onCustomer(RowChange change) {
        }
    }

    @Test
    void listenersWithoutASourceFailNamingTheListenersAndTheWaysOut() {
        runner().withUserConfiguration(Listeners.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                        assertThat(e.getProperty()).isEqualTo("canal.source");
                        assertThat(e.getProblem()).startsWith("There are @CanalListener listeners [")
                                .contains("Listeners#onOrder").contains("Listeners#onCustomer")
                                .endsWith("] but no source is configured.");
                        assertThat(e.getAction()).contains("canal.source.host").contains("canal.source.addresses")
                                .contains("canal.sources.<name>").contains("ChangeSource bean")
                                .contains("canal.enabled=false");
                    });
        });
    }

    @Test
    void anApplicationsOwnSourceSatisfiesIt() {
        runner().withUserConfiguration(Listeners.class)
                .withBean(ChangeSource.class, () -> new InMemoryChangeSource("mine"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ListenersWithoutSourceCheck.class).isRunning()).isTrue();
                });
    }

    @Test
    void noListenersAndNoSourceIsNoError() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ListenersWithoutSourceCheck.class).isRunning()).isTrue();
        });
    }

    @Test
    void itRunsBeforeTheListenerContainersStart() {
        runner().withBean(ChangeSource.class, () -> new InMemoryChangeSource("mine")).run(context -> {
            ListenersWithoutSourceCheck check = context.getBean(ListenersWithoutSourceCheck.class);
            assertThat(check.getPhase()).isLessThan(context.getBean(CanalListenerEndpointRegistry.class).getPhase());
            check.stop();
            assertThat(check.isRunning()).isFalse();
        });
    }
}
