package dev.canalboot.relay;

import dev.canalboot.canal.FlatMessage;

import com.alibaba.otter.canal.client.CanalConnector;
import com.alibaba.otter.canal.client.CanalConnectors;
import com.alibaba.otter.canal.connector.core.producer.MQMessageUtils;
import com.alibaba.otter.canal.protocol.CanalEntry;
import com.alibaba.otter.canal.protocol.Message;
import dev.canalboot.binlog.BinlogChangeSource;
import dev.canalboot.binlog.BinlogSourceSettings;
import dev.canalboot.binlog.StartPosition;
import dev.canalboot.binlog.tls.TlsSettings;
import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's flat messages against a real Canal 1.1.7 server's for the same binlog (MySQL 8.0.31): the server's
 * entries turned into flat messages by Canal's own MQ code ({@code MQMessageUtils.messageConverter}, what its Kafka
 * producer sends), row by row. Values, nulls, {@code old}, {@code pkNames}, {@code sqlType} and {@code es} are
 * equal, over every column type, and so are the DDL messages (CREATE TABLE, ALTER, CREATE INDEX, TRUNCATE, RENAME,
 * DROP TABLE); {@code mysqlType} denotes the same type (family, sign, length, scale, elements):
 * its text differs only in DECIMAL's precision, which the model does not keep (Canal {@code decimal(10,2)}, relay
 * {@code decimal(65,2)}).
 */
class RelayMatchesCanalFlatMessagesIT {

    private static final String SCHEMA = "relay_canal";
    private static final int ROWS = 5;
    private static final int DDLS = 6;

    static EmbeddedMySql db;

    @BeforeAll
    static void schema() {
        db = TestServers.mysql();
        db.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".t (id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED,"
                        + " siu SMALLINT UNSIGNED, mi MEDIUMINT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,"
                        + " dc DECIMAL(10,2), f FLOAT, d DOUBLE, b1 BIT(1), b9 BIT(9), y YEAR, dt DATE, tm TIME(3),"
                        + " dtm DATETIME(6), ts TIMESTAMP(3) NULL, c CHAR(5), vc VARCHAR(20), tx TEXT, bn BINARY(4),"
                        + " vb VARBINARY(8), bl BLOB, e ENUM('x','y'), s SET('a','b','c'), j JSON, g GEOMETRY)");
    }

    @Test
    void everyRowEqualsCanalsFlatMessage() throws Exception {
        String[] start = binlogEnd();
        db.execute("INSERT INTO " + SCHEMA + ".t (id) VALUES (99)");
        db.execute("INSERT INTO " + SCHEMA + ".t VALUES (1, -128, 255, 65535, -8388608, 4294967295,"
                        + " -9223372036854775808, 18446744073709551615, -12345678.90, 1.25, -2.5e-300, b'1', b'101010101',"
                        + " 1901, '1000-01-01', '-838:59:58.125', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.499',"
                        + " 'ab', 'ünï €', 'long text', x'0102', x'00ff00', x'cafe', 'y', 'a,c', '{\"a\": [1, 2.5, null]}', ST_GeomFromText('POINT(1 2)')),"
                        + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "UPDATE " + SCHEMA + ".t SET vc = 'changed', dc = 0.50, e = 'x' WHERE id = 1",
                "DELETE FROM " + SCHEMA + ".t WHERE id = 2",
                "CREATE TABLE " + SCHEMA + ".t2 (id INT PRIMARY KEY, v INT)",
                "ALTER TABLE " + SCHEMA + ".t2 ADD COLUMN w INT",
                "CREATE INDEX t2_v ON " + SCHEMA + ".t2 (v)",
                "TRUNCATE TABLE " + SCHEMA + ".t2",
                "RENAME TABLE " + SCHEMA + ".t2 TO " + SCHEMA + ".t3",
                "DROP TABLE " + SCHEMA + ".t3");

        List<Map<String, Object>> canal = fromCanal(start);
        List<Map<String, Object>> ours = fromRelay(start);

        assertThat(ours).hasSize(ROWS + DDLS);
        assertThat(canal).hasSize(ROWS + DDLS);
        for (int i = 0; i < ROWS + DDLS; i++) {
            // Canal with its default canal.instance.gtidon=false writes an empty gtid; the relay the transaction's.
            assertThat(canal.get(i).remove("gtid")).isEqualTo("");
            assertThat((String) ours.get(i).remove("gtid")).matches("[0-9a-f-]{36}:\\d+");
        }
        for (int i = ROWS; i < ROWS + DDLS; i++) {
            assertThat(new TreeMap<>(ours.get(i))).as("DDL %s", i).isEqualTo(new TreeMap<>(canal.get(i)));
        }
        for (int i = 0; i < ROWS; i++) {
            Map<String, Object> expected = new TreeMap<>(canal.get(i));
            Map<String, Object> actual = new TreeMap<>(ours.get(i));
            @SuppressWarnings("unchecked")
            Map<String, String> canalTypes = (Map<String, String>) expected.remove("mysqlType");
            @SuppressWarnings("unchecked")
            Map<String, String> ourTypes = (Map<String, String>) actual.remove("mysqlType");
            assertThat(actual).as("row %s", i).isEqualTo(expected);
            assertThat(ourTypes.keySet()).containsExactlyElementsOf(canalTypes.keySet());
            canalTypes.forEach((column, text) -> assertThat(MySqlTypeText.parse(ourTypes.get(column)))
                    .as("mysqlType of %s: ours %s, Canal's %s", column, ourTypes.get(column), text)
                    .isEqualTo(MySqlTypeText.parse(text)));
        }
    }

    private static List<Map<String, Object>> fromCanal(String[] start) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (EmbeddedCanalServer server = EmbeddedCanalServer.builder(db).filter(SCHEMA + "\\..*")
                .binlogPosition(start[0], Long.parseLong(start[1])).start()) {
            CanalConnector connector = CanalConnectors.newSingleConnector(server.address(), server.destination(), "", "");
            connector.connect();
            try {
                connector.subscribe(SCHEMA + "\\..*");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (rows.size() < ROWS + DDLS && System.nanoTime() < deadline) {
                    Message message = connector.getWithoutAck(100, 500L, TimeUnit.MILLISECONDS);
                    if (message.getId() == -1 || message.getEntries().isEmpty()) {
                        continue;
                    }
                    connector.ack(message.getId());
                    List<MQMessageUtils.EntryRowData> data = new ArrayList<>();
                    for (CanalEntry.Entry entry : message.getEntries()) {
                        if (entry.getEntryType() == CanalEntry.EntryType.ROWDATA) {
                            MQMessageUtils.EntryRowData d = new MQMessageUtils.EntryRowData();
                            d.entry = entry;
                            d.rowChange = CanalEntry.RowChange.parseFrom(entry.getStoreValue());
                            data.add(d);
                        }
                    }
                    for (com.alibaba.otter.canal.protocol.FlatMessage m : MQMessageUtils.messageConverter(
                            data.toArray(MQMessageUtils.EntryRowData[]::new), message.getId())) {
                        if (m.getIsDdl()) {
                            rows.add(row(m.getType(), m.getTable(), m.getPkNames(), null, null, m.getSqlType(),
                                    m.getMysqlType(), m.getEs(), m.getIsDdl()));
                            rows.get(rows.size() - 1).put("sql", m.getSql());
                            rows.get(rows.size() - 1).put("database", m.getDatabase());
                            rows.get(rows.size() - 1).put("gtid", m.getGtid());
                            continue;
                        }
                        for (int i = 0; i < m.getData().size(); i++) {
                            rows.add(row(m.getType(), m.getTable(), m.getPkNames(), m.getData().get(i),
                                    m.getOld() == null ? null : m.getOld().get(i), m.getSqlType(), m.getMysqlType(),
                                    m.getEs(), m.getIsDdl()));
                            rows.get(rows.size() - 1).put("gtid", m.getGtid());
                        }
                    }
                }
            } finally {
                connector.disconnect();
            }
        }
        return rows;
    }

    private static List<Map<String, Object>> fromRelay(String[] start) throws Exception {
        DatabaseUser user = db.nativePasswordUser();
        // Canal runs in this JVM and writes TIMESTAMP in its zone: so does the relay here.
        FlatMessages messages = new FlatMessages(new CanalColumnText(ZoneId.systemDefault()));
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BinlogChangeSource source = new BinlogChangeSource(BinlogSourceSettings.builder("relay-canal",
                        "127.0.0.1", db.port(), user.name(), user.password())
                .tls(TlsSettings.DISABLED)
                .start(new StartPosition.FilePosition(start[0], Long.parseLong(start[1])))
                .build())) {
            source.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rows.size() < ROWS + DDLS && System.nanoTime() < deadline) {
                ChangeBatch batch = source.poll(Duration.ofMillis(500));
                if (batch == null) {
                    continue;
                }
                for (ChangeEvent event : batch.events()) {
                    if (event instanceof dev.canalboot.model.SchemaChange ddl && ddl.sql().contains(SCHEMA)
                            && List.of("t2", "t3").contains(ddl.table())) {
                        FlatMessage m = messages.ddl(batch.id(), ddl);
                        Map<String, Object> row = row(m.type(), m.table(), m.pkNames(), null, null, m.sqlType(),
                                m.mysqlType(), m.es(), m.isDdl());
                        row.put("sql", m.sql());
                        row.put("database", m.database());
                        row.put("gtid", m.gtid());
                        rows.add(row);
                    }
                    if (event instanceof RowChange change && change.schema().equals(SCHEMA)) {
                        FlatMessage m = messages.rows(batch.id(), List.of(change));
                        rows.add(row(m.type(), m.table(), m.pkNames(), m.data().get(0),
                                m.old() == null ? null : m.old().get(0), m.sqlType(), m.mysqlType(), m.es(), m.isDdl()));
                        rows.get(rows.size() - 1).put("gtid", m.gtid());
                    }
                }
                source.ack(batch);
            }
        }
        return rows;
    }

    private static Map<String, Object> row(String type, String table, List<String> pkNames, Map<String, String> data,
                                           Map<String, String> old, Map<String, Integer> sqlType,
                                           Map<String, String> mysqlType, Long es, Boolean isDdl) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("type", type);
        row.put("table", table);
        row.put("pkNames", pkNames);
        row.put("data", data == null ? null : new TreeMap<>(data));
        row.put("old", old == null ? null : new TreeMap<>(old));
        row.put("sqlType", sqlType == null ? null : new TreeMap<>(sqlType));
        row.put("mysqlType", mysqlType == null ? null : new LinkedHashMap<>(mysqlType));
        row.put("es", es);
        row.put("isDdl", isDdl);
        return row;
    }

    private static String[] binlogEnd() throws Exception {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(null), db.rootUser(), db.rootPassword());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).as("binary logging is on").isTrue();
            return new String[]{rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }
}
