package dev.canalboot.relay;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CompositeContainerObserver;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.container.ListenerErrorHandler;
import dev.canalboot.listener.container.RetryClassifier;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;

import java.util.List;
import java.util.Set;

/**
 * The relay as listeners of its source's container: every row change to {@link KafkaRelay#row} in binlog order,
 * every DDL to {@link KafkaRelay#ddl}, and at the end of each batch's rows {@link KafkaRelay#endOfBatch}, which
 * returns once Kafka acknowledged the batch. The container acknowledges a batch only after all of them returned,
 * so the checkpoint never passes a change Kafka does not have. {@link #settings} makes a relay failure stop the
 * container with the batch rolled back, whatever the application's retry and error-handler settings.
 */
public final class RelayEndpoints {

    private static final String PREFIX = "canalRelay.";

    private final KafkaRelay relay;
    private final List<TablePattern> tables;
    private final List<TablePattern> excluded;
    /** Numbers the batches in the messages' {@code id}, as Canal numbers its batches. */
    private long batchId = 1;

    /** A relay of every table the source reads. */
    public RelayEndpoints(KafkaRelay relay) {
        this(relay, List.of(TablePattern.parse("*.*")), List.of());
    }

    /**
     * A relay of the changes of {@code tables} except those of {@code excluded} (rows and DDL naming such a table
     * are not published; the batch is acknowledged as usual).
     */
    public RelayEndpoints(KafkaRelay relay, List<TablePattern> tables, List<TablePattern> excluded) {
        this.relay = relay;
        this.tables = List.copyOf(tables);
        this.excluded = List.copyOf(excluded);
    }

    /** The relay these endpoints feed. */
    public KafkaRelay relay() {
        return relay;
    }

    public List<ListenerEndpoint> endpoints() {
        String source = relay.sourceName();
        List<TablePattern> all = List.of(TablePattern.parse("*.*"));
        return List.of(
                new ListenerEndpoint(PREFIX + source + ".rows", "relay of source " + source, tables, excluded, Set.of(),
                        source, invoker(EndpointInvoker.Kind.ROW, event -> guarded(() -> relay.row(batchId, (RowChange) event)))),
                new ListenerEndpoint(PREFIX + source + ".ddl", "relay of source " + source, tables, excluded, Set.of(),
                        source, invoker(EndpointInvoker.Kind.SCHEMA,
                                event -> guarded(() -> relay.ddl(batchId, (SchemaChange) event)))),
                // every table: the end of a batch comes whatever the batch holds
                new ListenerEndpoint(PREFIX + source + ".flush", "relay of source " + source, all, Set.of(), source,
                        new EndpointInvoker() {
                            @Override
                            public Kind kind() {
                                return Kind.ROW_BATCH;
                            }

                            @Override
                            public void invoke(ChangeEvent event) {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public void invokeBatch(List<RowChange> rows) {
                                try {
                                    guarded(relay::endOfBatch);
                                } finally {
                                    batchId++;
                                }
                            }
                        }));
    }

    /**
     * Runs one relay step; any failure forgets the batch's unsent and unawaited messages (the batch is rolled back
     * and comes again) and becomes a {@link RelaySendException}, which the container does not retry.
     */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            relay.discard();
            throw e instanceof RelaySendException relayFailure ? relayFailure
                    : new RelaySendException("Relay of source '" + relay.sourceName() + "' failed: " + e
                            + "; the batch is rolled back, not acknowledged", e);
        }
    }

    /** Whether {@code endpoint} is one of a relay's. */
    public static boolean isRelay(ListenerEndpoint endpoint) {
        return endpoint.id().startsWith(PREFIX);
    }

    /**
     * The container settings of a relayed source: relay failures are not retried by the container (the producer
     * retries sends itself) and stop it, the batch rolled back; other listeners keep the settings they had.
     *
     * @throws IllegalArgumentException when the settings run listeners concurrently: the relay keeps binlog order
     */
    public ContainerSettings settings(ContainerSettings settings) {
        String sourceName = relay.sourceName();
        if (!settings.concurrency().isSerial()) {
            throw new IllegalArgumentException("source '" + sourceName + "' relays to Kafka with listener concurrency "
                    + settings.concurrency().workers());
        }
        RetryClassifier classifier = settings.retryClassifier();
        ListenerErrorHandler handler = settings.errorHandler();
        // A batch starts with nothing of an earlier one: after a rollback for any reason (another listener's
        // failure, a shutdown timeout) the relay may hold rows of the batch that comes again.
        ContainerObserver discardOnBatchStart = new ContainerObserver() {
            @Override
            public void batchStarted(String source, long id, int size) {
                relay.discard();
            }
        };
        return settings
                .withObserver(CompositeContainerObserver.of(List.of(settings.observer(), discardOnBatchStart)))
                .withRetryClassifier(error -> !(error instanceof RelaySendException) && classifier.isRetryable(error))
                .withErrorHandler(failure -> isRelay(failure.endpoint()) ? ListenerErrorHandler.Action.STOP
                        : handler.handle(failure));
    }

    private interface EventCall {
        void accept(ChangeEvent event);
    }

    private static EndpointInvoker invoker(EndpointInvoker.Kind kind, EventCall call) {
        return new EndpointInvoker() {
            @Override
            public Kind kind() {
                return kind;
            }

            @Override
            public void invoke(ChangeEvent event) {
                call.accept(event);
            }

            @Override
            public void invokeBatch(List<RowChange> rows) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
