package dev.canalboot.testsupport;

import com.alibaba.otter.canal.client.CanalConnector;
import com.alibaba.otter.canal.client.CanalConnectors;
import com.alibaba.otter.canal.protocol.CanalEntry;
import com.alibaba.otter.canal.protocol.Message;
import dev.canalboot.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A row written to the database arrives, decoded, at the official Canal client. */
class EmbeddedCanalServerIT {

    @Test
    void mysqlRowArrivesAtTheCanalClient() throws Exception {
        assertRowArrives(TestServers.mysql(), "canal_smoke_mysql");
    }

    @Test
    void mariadbRowArrivesAtTheCanalClient() throws Exception {
        assertRowArrives(TestServers.mariadb(), "canal_smoke_mariadb");
    }

    private static void assertRowArrives(EmbeddedDatabase database, String schema) throws Exception {
        database.execute("DROP DATABASE IF EXISTS " + schema, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".orders (id INT PRIMARY KEY, item VARCHAR(40))");
        try (EmbeddedCanalServer canal = EmbeddedCanalServer.builder(database)
                .destination(schema).filter(schema + "\\..*").start()) {
            CanalConnector connector = CanalConnectors.newSingleConnector(canal.address(), canal.destination(), "", "");
            connector.connect();
            try {
                connector.subscribe(schema + "\\..*");
                database.execute("INSERT INTO " + schema + ".orders VALUES (1, 'tea')");

                CanalEntry.RowChange insert = awaitRowChange(connector, schema + ".orders");

                assertThat(insert.getEventType()).isEqualTo(CanalEntry.EventType.INSERT);
                assertThat(insert.getRowDatasCount()).isEqualTo(1);
                Map<String, String> row = insert.getRowDatas(0).getAfterColumnsList().stream()
                        .collect(Collectors.toMap(CanalEntry.Column::getName, CanalEntry.Column::getValue));
                assertThat(row).containsEntry("id", "1").containsEntry("item", "tea");
            } finally {
                connector.disconnect();
            }
        } finally {
            database.execute("DROP DATABASE " + schema);
        }
    }

    /** Polls until a row change of {@code table} arrives; gives up after 60 empty polls of one second. */
    private static CanalEntry.RowChange awaitRowChange(CanalConnector connector, String table) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int emptyPolls = 0; emptyPolls < 60; ) {
            Message message = connector.getWithoutAck(100, 1000L, TimeUnit.MILLISECONDS);
            if (message.getId() == -1 || message.getEntries().isEmpty()) {
                emptyPolls++;
                continue;
            }
            connector.ack(message.getId());
            for (CanalEntry.Entry entry : message.getEntries()) {
                String entryTable = entry.getHeader().getSchemaName() + "." + entry.getHeader().getTableName();
                seen.add(entry.getEntryType() + " " + entryTable);
                if (entry.getEntryType() == CanalEntry.EntryType.ROWDATA && entryTable.equals(table)) {
                    CanalEntry.RowChange change = CanalEntry.RowChange.parseFrom(entry.getStoreValue());
                    if (!change.getIsDdl()) {
                        return change;
                    }
                }
            }
        }
        throw new AssertionError("No row change of " + table + " arrived; entries seen: " + seen);
    }
}
