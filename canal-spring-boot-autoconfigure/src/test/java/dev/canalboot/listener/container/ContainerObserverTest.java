package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.testsupport.Events;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The observer seam: every callback is a no-op unless overridden, and the no-op scope opens nothing. */
class ContainerObserverTest {

    @Test
    void theNoOpObserverAcceptsEveryCallbackAndOpensNoScope() {
        ContainerObserver noop = ContainerObserver.NOOP;
        var row = new Events("s").insert(ORDERS, order(1, "A", "1.00", 1));
        assertThatCode(() -> {
            noop.batchStarted("s", 1, 1);
            noop.batchCompleted("s", 1, 1, 10, true);
            noop.listenerInvoked("s", "e", 1, 10);
            noop.batchAcknowledged("s", new ChangeBatch(1, List.of(row)));
            noop.listenerFailed("s", "e", 1, new IllegalStateException("x"));
            noop.retryScheduled("s", "e", 2, 100);
            noop.rowsWaited("s", 1, 10);
            noop.containerFailed("s", new IllegalStateException("x"));
            noop.stateChanged("s", ContainerState.STOPPED, ContainerState.STARTING);
        }).doesNotThrowAnyException();
        assertThat(noop.listenerStarting("s", null, row, null)).isSameAs(ContainerObserver.ListenerScope.NONE);
        assertThatCode(() -> ContainerObserver.ListenerScope.NONE.close(new IllegalStateException("x")))
                .doesNotThrowAnyException();
    }

    @Test
    void anObserverOverridesOnlyWhatItNeeds() {
        List<String> seen = new ArrayList<>();
        ContainerObserver states = new ContainerObserver() {
            @Override
            public void stateChanged(String source, ContainerState from, ContainerState to) {
                seen.add(source + ":" + from + "->" + to);
            }
        };
        states.batchStarted("s", 1, 1);
        states.stateChanged("s", ContainerState.STARTING, ContainerState.RUNNING);
        assertThat(seen).containsExactly("s:STARTING->RUNNING");
        assertThat(states.listenerStarting("s", null, null, List.of())).isSameAs(ContainerObserver.ListenerScope.NONE);
    }
}
