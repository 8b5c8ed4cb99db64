package dev.canalboot.listener;

import dev.canalboot.testsupport.InMemoryChangeSource;
import dev.canalboot.testsupport.Events;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link EnableCanalListeners} with an ApplicationContextRunner, as the auto-configuration tests will use. */
class EnableCanalListenersTest {

    @Configuration
    @EnableCanalListeners
    static class App {
        final List<Long> ids = new CopyOnWriteArrayList<>();

        @Bean
        InMemoryChangeSource source() {
            return new InMemoryChangeSource("main");
        }

        @CanalListener(table = "${orders.table}")
        void onOrder(RowChange change) {
            ids.add(change.row().getLong("id"));
        }
    }

    @Test
    void enablesListenersAndStopsThemWithTheContext() {
        new ApplicationContextRunner()
                .withUserConfiguration(App.class)
                .withPropertyValues("orders.table=shop.orders")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    InMemoryChangeSource source = context.getBean(InMemoryChangeSource.class);
                    ChangeBatch batch = source.offer(new Events("main").insert(ORDERS, order(9, "Z", "1.00", 1)));
                    source.awaitAcked(batch);
                    assertThat(context.getBean(App.class).ids).containsExactly(9L);
                    CanalListenerEndpointRegistry registry = context.getBean(CanalListenerEndpointRegistry.class);
                    assertThat(registry.getListenerContainer("main").getState()).isEqualTo(ContainerState.RUNNING);
                    assertThat(registry.isRunning()).isTrue();
                });
    }

    @Test
    void declarationErrorFailsTheContext() {
        new ApplicationContextRunner()
                .withUserConfiguration(App.class)
                .withPropertyValues("orders.table=orders")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable error = context.getStartupFailure();
                    while (error != null && !(error instanceof ListenerDeclarationException)) {
                        error = error.getCause();
                    }
                    assertThat(error).isInstanceOf(ListenerDeclarationException.class)
                            .hasMessageContaining("enableCanalListenersTest.App#onOrder")
                            .hasMessageContaining("'orders' must be schema.table");
                });
    }
}
