package dev.canalboot.testsupport;

import dev.canalboot.actuate.CanalMetrics;
import dev.canalboot.actuate.SourceMonitors;
import dev.canalboot.listener.container.CompositeContainerObserver;
import dev.canalboot.listener.CanalListenerEndpointRegistry;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.RetryPolicy;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.source.ChangeSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Containers over test sources, with a row listener that records what it got and can be told to fail. */
public final class TestContainers {

    public static TableSchema table(String schema, String table) {
        return new TableSchema(schema, table, List.of(
                new Column("id", 0, ColumnType.BIGINT, false, 0, 0, null, true, List.of())));
    }

    private static final AtomicLong OFFSET = new AtomicLong(4);

    public static RowChange row(String source, TableSchema table, ChangeType type, long id, Instant committed) {
        Row image = new Row(table, new Object[]{id});
        return new RowChange(source, table, type, type == ChangeType.INSERT ? null : image,
                type == ChangeType.DELETE ? null : image,
                new SourcePosition("binlog.000001", OFFSET.getAndAdd(100), null), committed);
    }

    /** Records rows; throws while {@code failuresLeft} is positive. */
    public static final class RecordingInvoker implements EndpointInvoker {

        public final List<RowChange> received = new CopyOnWriteArrayList<>();
        public final AtomicLong failuresLeft = new AtomicLong();

        @Override
        public Kind kind() {
            return Kind.ROW;
        }

        @Override
        public void invoke(ChangeEvent event) {
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("listener failure for the test");
            }
            received.add((RowChange) event);
        }

        @Override
        public void invokeBatch(List<RowChange> rows) {
            throw new UnsupportedOperationException();
        }
    }

    public static ListenerEndpoint endpoint(String id, EndpointInvoker invoker, String... tables) {
        return new ListenerEndpoint(id, "test#" + id, List.of(tables).stream().map(TablePattern::parse).toList(),
                Set.of(), "", invoker);
    }

    /** A listener registry with one container for {@code source}, observed by monitors and metrics. */
    public static final class Fixture {

        public final MutableClock clock = new MutableClock(1_700_000_000_000L);
        public final CanalListenerEndpointRegistry listeners = new CanalListenerEndpointRegistry();
        public final SourceMonitors monitors = new SourceMonitors(() -> listeners, clock);
        public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        public final CanalMetrics metrics;
        public final CanalListenerContainer container;

        public Fixture(ChangeSource source, int maxTables, ListenerEndpoint... endpoints) {
            this(source, maxTables, settings -> settings, endpoints);
        }

        public Fixture(ChangeSource source, int maxTables, java.util.function.UnaryOperator<ContainerSettings> customizer,
                ListenerEndpoint... endpoints) {
            metrics = new CanalMetrics(meters, monitors, maxTables);
            ContainerSettings settings = customizer.apply(ContainerSettings.defaults()
                    .withPollTimeout(Duration.ofMillis(50))
                    .withRetryPolicy(new RetryPolicy(2, Duration.ZERO, 1.0, Duration.ZERO))
                    .withObserver(CompositeContainerObserver.of(List.of(monitors, metrics))));
            listeners.createContainers(List.of(endpoints), List.of(source), settings);
            container = listeners.getListenerContainer(source.name());
        }
    }

    /** A clock the test moves. */
    public static final class MutableClock extends Clock {

        private final AtomicLong millis;

        public MutableClock(long millis) {
            this.millis = new AtomicLong(millis);
        }

        public void advance(Duration by) {
            millis.addAndGet(by.toMillis());
        }

        public Instant now() {
            return instant();
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private TestContainers() {
    }
}
