package dev.canalboot.bench.contender;

import com.alibaba.otter.canal.client.CanalConnector;
import com.alibaba.otter.canal.client.CanalConnectors;
import com.alibaba.otter.canal.protocol.CanalEntry;
import com.alibaba.otter.canal.protocol.Message;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.measure.Sink;
import dev.canalboot.testsupport.EmbeddedCanalServer;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Contender 4: the official path. A Canal 1.1.7 server (in this JVM, its own class loader) replays the workload
 * binlog from its start; the official {@code canal.client} 1.1.7 fetches batches of 1,000 entries, parses every
 * entry ({@code CanalEntry.RowChange.parseFrom}) and touches every column value of every image, then acks.
 * Server start-up is part of the measured time (as it is for contender 5).
 */
public final class OfficialCanalContender implements Contender {

    static final int BATCH_SIZE = 1000;

    @Override
    public String id() {
        return "4-canal-official";
    }

    @Override
    public String description() {
        return "Canal 1.1.7 server + official canal.client 1.1.7, RowChange.parseFrom, every column value touched";
    }

    @Override
    public String unavailableReason(BenchServer server) {
        return server.embedded() == null ? "needs an embedded server (the Canal server is started against it)" : null;
    }

    @Override
    public void run(RunContext context) throws Exception {
        try (EmbeddedCanalServer canal = startCanal(context)) {
            CanalConnector connector = CanalConnectors.newSingleConnector(
                    new InetSocketAddress(canal.host(), canal.port()), canal.destination(), "", "");
            connector.connect();
            try {
                connector.subscribe();
                Sink sink = new Sink();
                while (!context.isDone()) {
                    Message message = connector.getWithoutAck(BATCH_SIZE, 100L, TimeUnit.MILLISECONDS);
                    long delivered = 0;
                    for (CanalEntry.Entry entry : message.getEntries()) {
                        if (entry.getEntryType() == CanalEntry.EntryType.ROWDATA) {
                            delivered += touch(CanalEntry.RowChange.parseFrom(entry.getStoreValue()), sink);
                        }
                    }
                    if (message.getId() != -1) {
                        connector.ack(message.getId());
                    }
                    context.delivered(delivered);
                }
            } finally {
                connector.disconnect();
            }
        }
    }

    /** A Canal server reading the workload binlog from its first event, filtered to the workload table. */
    static EmbeddedCanalServer startCanal(RunContext context) {
        return EmbeddedCanalServer.builder(context.server().embedded())
                .destination("bench" + context.replicaServerId())
                .filter(context.schema() + "\\." + context.table())
                .slaveId(context.replicaServerId())
                .binlogPosition(context.binlog().start().file(), context.binlog().start().position())
                .start();
    }

    private static long touch(CanalEntry.RowChange change, Sink sink) {
        long rows = 0;
        for (CanalEntry.RowData row : change.getRowDatasList()) {
            for (CanalEntry.Column column : row.getBeforeColumnsList()) {
                sink.consume(column.getIsNull() ? null : column.getValue());
            }
            for (CanalEntry.Column column : row.getAfterColumnsList()) {
                sink.consume(column.getIsNull() ? null : column.getValue());
            }
            rows++;
        }
        return rows;
    }
}
