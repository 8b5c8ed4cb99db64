package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CompositeContainerObserverTest {

    private final List<String> calls = new ArrayList<>();

    private ContainerObserver recording(String name) {
        return new ContainerObserver() {
            @Override
            public void batchStarted(String source, long batchId, int size) {
                calls.add(name + " started " + batchId);
            }

            @Override
            public ListenerScope listenerStarting(String source, ListenerEndpoint endpoint, ChangeEvent event,
                                                  List<RowChange> rows) {
                calls.add(name + " open");
                return error -> calls.add(name + " close " + (error == null ? "ok" : error.getMessage()));
            }
        };
    }

    @Test
    void singleOrNoObserverIsNotWrapped() {
        ContainerObserver one = recording("a");
        assertThat(CompositeContainerObserver.of(List.of(one, ContainerObserver.NOOP, one))).isSameAs(one);
        assertThat(CompositeContainerObserver.of(List.of(ContainerObserver.NOOP))).isSameAs(ContainerObserver.NOOP);
    }

    @Test
    void everyObserverIsCalledAndScopesCloseInReverseOrder() {
        ContainerObserver composite = CompositeContainerObserver.of(List.of(recording("a"), recording("b")));
        composite.batchStarted("main", 7, 1);
        composite.listenerStarting("main", null, null, null).close(new IllegalStateException("boom"));
        assertThat(calls).containsExactly("a started 7", "b started 7", "a open", "b open",
                "b close boom", "a close boom");
    }

    @Test
    void aThrowingObserverDoesNotKeepTheOthersFromBeingCalled() {
        ContainerObserver throwing = new ContainerObserver() {
            @Override
            public void batchStarted(String source, long batchId, int size) {
                throw new IllegalStateException("observer bug");
            }
        };
        ContainerObserver composite = CompositeContainerObserver.of(List.of(throwing, recording("b")));
        assertThatIllegalStateException().isThrownBy(() -> composite.batchStarted("main", 1, 1))
                .withMessage("observer bug");
        assertThat(calls).containsExactly("b started 1");
    }
}
