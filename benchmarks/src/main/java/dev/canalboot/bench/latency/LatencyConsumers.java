package dev.canalboot.bench.latency;

import com.alibaba.otter.canal.client.CanalConnector;
import com.alibaba.otter.canal.client.CanalConnectors;
import com.alibaba.otter.canal.protocol.CanalEntry;
import com.alibaba.otter.canal.protocol.Message;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.canal.CanalChangeSource;
import dev.canalboot.canal.CanalSettings;
import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.RowHandler;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.CanalListenerContainer;
import dev.canalboot.listener.container.ContainerSettings;
import dev.canalboot.listener.RowHandlerEndpointInvoker;
import dev.canalboot.model.Row;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import org.springframework.core.convert.support.DefaultConversionService;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/** The consumers measured for commit-to-listener latency: our two sources and the official Canal client. */
final class LatencyConsumers {

    private LatencyConsumers() {
    }

    static List<LatencyConsumer> all() {
        return List.of(new OurBinlog(), new OurCanal(), new OfficialCanal());
    }

    /** Our binlog source from the binlog end, under the listener container. */
    static final class OurBinlog implements LatencyConsumer {
        @Override
        public String id() {
            return "1-ours-binlog";
        }

        @Override
        public AutoCloseable start(BenchServer server, String schema, String table, long replicaServerId,
                                   LongConsumer onRow) {
            BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("latency-binlog",
                            server.host(), server.port(), server.user(), server.password())
                    .serverId(replicaServerId).tls(TlsSettings.DISABLED).start(new StartPosition.Latest()).build());
            return container(source, schema, table, onRow);
        }
    }

    /** Our Canal source on a Canal server started at the binlog end. */
    static final class OurCanal implements LatencyConsumer {
        @Override
        public String id() {
            return "5-ours-canal";
        }

        @Override
        public String unavailableReason(BenchServer server) {
            return server.embedded() == null ? "needs an embedded server" : null;
        }

        @Override
        public AutoCloseable start(BenchServer server, String schema, String table, long replicaServerId,
                                   LongConsumer onRow) {
            EmbeddedCanalServer canal = canal(server, schema, table, replicaServerId);
            CanalChangeSource source = new CanalChangeSource(CanalSettings.builder("latency-canal", canal.destination())
                    .address(canal.host() + ":" + canal.port()).build());
            AutoCloseable container = container(source, schema, table, onRow);
            return () -> {
                try {
                    container.close();
                } finally {
                    canal.close();
                }
            };
        }
    }

    /**
     * The official client in its lowest-latency loop: non-blocking {@code getWithoutAck(1000)}, 1 ms sleep when
     * nothing came. (The blocking variant waits for a full batch or its timeout, which at these rates is the
     * timeout.)
     */
    static final class OfficialCanal implements LatencyConsumer {
        @Override
        public String id() {
            return "4-canal-official";
        }

        @Override
        public String unavailableReason(BenchServer server) {
            return server.embedded() == null ? "needs an embedded server" : null;
        }

        @Override
        public AutoCloseable start(BenchServer server, String schema, String table, long replicaServerId,
                                   LongConsumer onRow) throws Exception {
            EmbeddedCanalServer canal = canal(server, schema, table, replicaServerId);
            CanalConnector connector = CanalConnectors.newSingleConnector(
                    new InetSocketAddress(canal.host(), canal.port()), canal.destination(), "", "");
            connector.connect();
            connector.subscribe();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            // Stopped by a flag: an interrupt would close the client's socket channel under it
            Thread reader = new Thread(() -> {
                try {
                    while (running.get()) {
                        Message message = connector.getWithoutAck(1000);
                        if (message.getId() == -1 || message.getEntries().isEmpty()) {
                            Thread.sleep(1);
                            continue;
                        }
                        for (CanalEntry.Entry entry : message.getEntries()) {
                            if (entry.getEntryType() == CanalEntry.EntryType.ROWDATA) {
                                for (CanalEntry.RowData row : CanalEntry.RowChange.parseFrom(entry.getStoreValue())
                                        .getRowDatasList()) {
                                    onRow.accept(Long.parseLong(row.getAfterColumns(0).getValue()));
                                }
                            }
                        }
                        connector.ack(message.getId());
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "latency-canal-official");
            reader.start();
            return () -> {
                running.set(false);
                reader.join(10_000);
                try {
                    connector.disconnect();
                } finally {
                    canal.close();
                }
                if (failure.get() != null) {
                    throw new IllegalStateException("Official Canal client failed: " + failure.get(), failure.get());
                }
            };
        }
    }

    private static EmbeddedCanalServer canal(BenchServer server, String schema, String table, long replicaServerId) {
        return EmbeddedCanalServer.builder(server.embedded())
                .destination("latency" + replicaServerId)
                .filter(schema + "\\." + table)
                .slaveId(replicaServerId)
                .start();
    }

    /** A listener container calling {@code onRow} with each row's id; closing stops it. */
    private static AutoCloseable container(ChangeSource source, String schema, String table, LongConsumer onRow) {
        RowHandler<Row> listener = new RowHandler<>() {
            @Override
            public void onInsert(Row row) {
                onRow.accept((Long) row.get(0));
            }
        };
        ListenerEndpoint endpoint = new ListenerEndpoint("latency", "latency",
                List.of(TablePattern.parse(schema + "." + table)), Set.of(), "",
                RowHandlerEndpointInvoker.create(listener, IdListener.class, "latency",
                        DefaultConversionService::getSharedInstance));
        CanalListenerContainer container = new CanalListenerContainer(source, List.of(endpoint),
                ContainerSettings.defaults().withAutoStartup(false));
        container.start();
        return () -> {
            container.stop();
            if (container.getLastError() != null) {
                throw new IllegalStateException("Listener container failed: " + container.getLastError(),
                        container.getLastError());
            }
        };
    }

    /** Only for resolving {@code RowHandler<Row>}'s type argument. */
    private abstract static class IdListener implements RowHandler<Row> {
    }
}
