package dev.canalboot.bench.contender;

import dev.canalboot.bench.measure.Sink;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.RowHandler;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.RowHandlerEndpointInvoker;
import dev.canalboot.model.Row;
import dev.canalboot.source.ChangeSource;
import org.springframework.core.convert.support.DefaultConversionService;

import java.util.List;
import java.util.Set;

/**
 * Our sources as a user runs them: a {@link CanalListenerContainer} (default settings) driving the source and
 * calling a {@code RowHandler<Row>} listener for the workload table.
 */
public final class ListenerHarness {

    private ListenerHarness() {
    }

    /** Runs {@code source} until the context is done; the listener reads every typed value, or nothing. */
    static void run(ChangeSource source, RunContext context, boolean readValues) throws Exception {
        run(source, context, readValues ? new TypedReader(context) : new Counter(context), ContainerSettings.defaults());
    }

    /**
     * Runs {@code source} under a container with {@code settings} (auto-startup off) and {@code listener} on the
     * workload table until the context is done; the listener calls {@link RunContext#delivered}.
     */
    public static void run(ChangeSource source, RunContext context, RowHandler<Row> listener,
                           ContainerSettings settings) throws Exception {
        String name = listener.getClass().getSimpleName();
        ListenerEndpoint endpoint = new ListenerEndpoint(name, name,
                List.of(TablePattern.parse(context.schema() + "." + context.table())), Set.of(), "",
                RowHandlerEndpointInvoker.create(listener, listener.getClass(), name,
                        DefaultConversionService::getSharedInstance));
        CanalListenerContainer container = new CanalListenerContainer(source, List.of(endpoint),
                settings.withAutoStartup(false));
        container.start();
        try {
            context.awaitDone(container::getLastError);
        } finally {
            container.stop();
        }
    }

    /** Reads every column of every image as its typed value. */
    static final class TypedReader implements RowHandler<Row> {

        private final RunContext context;
        private final Sink sink = new Sink();

        TypedReader(RunContext context) {
            this.context = context;
        }

        @Override
        public void onInsert(Row row) {
            read(row);
            context.delivered(1);
        }

        @Override
        public void onUpdate(Row before, Row after) {
            read(before);
            read(after);
            context.delivered(1);
        }

        @Override
        public void onDelete(Row row) {
            read(row);
            context.delivered(1);
        }

        private void read(Row row) {
            for (int i = 0, n = row.size(); i < n; i++) {
                sink.consume(row.get(i));
            }
        }
    }

    /** Reads nothing: what is left is dispatch. */
    static final class Counter implements RowHandler<Row> {

        private final RunContext context;

        Counter(RunContext context) {
            this.context = context;
        }

        @Override
        public void onInsert(Row row) {
            context.delivered(1);
        }

        @Override
        public void onUpdate(Row before, Row after) {
            context.delivered(1);
        }

        @Override
        public void onDelete(Row row) {
            context.delivered(1);
        }
    }
}
