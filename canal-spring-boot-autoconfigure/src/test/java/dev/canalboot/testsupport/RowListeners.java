package dev.canalboot.testsupport;

import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Endpoints of one-row-at-a-time listeners, for tests that drive a listener container without Spring. */
public final class RowListeners {

    private RowListeners() {
    }

    /** The endpoint {@code id} (bean {@code bean#id}) of source {@code source} for tables matching {@code tables}. */
    public static ListenerEndpoint endpoint(String id, String source, String tables, Consumer<ChangeEvent> listener) {
        return new ListenerEndpoint(id, "bean#" + id, List.of(TablePattern.parse(tables)), Set.of(), source,
                new EndpointInvoker() {
                    @Override
                    public Kind kind() {
                        return Kind.ROW;
                    }

                    @Override
                    public void invoke(ChangeEvent event) {
                        listener.accept(event);
                    }

                    @Override
                    public void invokeBatch(List<RowChange> rows) {
                    }
                });
    }
}
