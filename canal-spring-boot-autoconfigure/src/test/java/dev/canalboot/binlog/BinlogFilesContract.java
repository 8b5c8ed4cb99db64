package dev.canalboot.binlog;

import dev.canalboot.testsupport.AllTypesWorkload;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.testsupport.BinlogFiles;
import dev.canalboot.testsupport.CollectingSink;
import dev.canalboot.testsupport.JdbcShapeResolver;
import dev.canalboot.testsupport.RandomValuesWorkload;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import dev.canalboot.testsupport.JdbcRows;
import java.sql.ResultSet;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the decoder must do with the binlog files every server writes (MySQL and MariaDB alike): each decoded image
 * equals what SELECT returns, with full and with minimal row metadata, in balanced transactions. A server's own
 * test adds what only it writes (its hooks below, and tests of its own).
 */
abstract class BinlogFilesContract {

    /** The server whose datadir holds the files; its schema {@link #schema()} exists. */
    protected abstract EmbeddedDatabase server();

    protected abstract String schema();

    /** Whether {@link #server()} is MariaDB (the all-types workload differs). */
    protected abstract boolean mariaDb();

    /** What the full-metadata test checks beyond SELECT equality on this server. */
    protected abstract void checkFullMetadata(CollectingSink sink);

    /** What the minimal-metadata test checks beyond SELECT equality on this server. */
    protected abstract void checkMinimalMetadata(CollectingSink sink, JdbcShapeResolver shapes);

    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(server().jdbcUrl(null), server().rootUser(), server().rootPassword());
    }

    protected CollectingSink decodeAround(TableShapeResolver shapes, BinlogFiles.SqlWork work) throws Exception {
        return BinlogFiles.decodeAround(server(), "test-" + (mariaDb() ? "mariadb" : "mysql"), shapes, work);
    }

    @Test
    void everyColumnTypeWithFullMetadataEqualsSelect() throws Exception {
        List<AllTypesWorkload> workloads = AllTypesWorkload.inEveryOrder(schema(), "all_full", mariaDb());
        CollectingSink sink = decodeAround(null, c -> runAll(c, workloads));
        for (AllTypesWorkload workload : workloads) {
            workload.verify(sink.rows(schema()));
        }
        assertBalancedTransactions(sink.changes);
        assertThat(sink.rows(schema()).get(0).primaryKey()).containsExactly("id");
        checkFullMetadata(sink);
    }

    /** MINIMAL row metadata: names (and on MariaDB charsets) come from the shape resolver. */
    @Test
    void everyColumnTypeWithMinimalMetadataEqualsSelect() throws Exception {
        List<AllTypesWorkload> workloads = AllTypesWorkload.inEveryOrder(schema(), "all_minimal", mariaDb());
        JdbcShapeResolver shapes = new JdbcShapeResolver(server().jdbcUrl(null), server().rootUser(),
                server().rootPassword());
        CollectingSink sink;
        try {
            sink = decodeAround(shapes, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SET GLOBAL binlog_row_metadata = MINIMAL");
                }
                try (Connection session = connect()) {
                    runAll(session, workloads);
                }
            });
        } finally {
            server().execute("SET GLOBAL binlog_row_metadata = FULL");
        }
        for (AllTypesWorkload workload : workloads) {
            workload.verify(sink.rows(schema()));
        }
        checkMinimalMetadata(sink, shapes);
    }

    static void runAll(Connection c, List<AllTypesWorkload> workloads) throws SQLException {
        for (AllTypesWorkload workload : workloads) {
            try (Statement st = c.createStatement()) {
                st.execute(workload.createTable());
            }
            workload.run(c);
        }
    }

    static String describe(ChangeEvent e) {
        if (e instanceof RowChange r) {
            return r.type() + " " + r.table() + r.row().values();
        }
        if (e instanceof SchemaChange s) {
            return "DDL " + s.schema() + "." + s.table();
        }
        return ((TransactionBoundary) e).kind().name();
    }

    static void assertBalancedTransactions(List<ChangeEvent> changes) {
        int open = 0;
        for (ChangeEvent e : changes) {
            if (e instanceof TransactionBoundary b) {
                open += b.kind() == TransactionBoundary.Kind.BEGIN ? 1 : -1;
                assertThat(open).as("transaction nesting at %s", b.position()).isBetween(0, 1);
            } else if (e instanceof RowChange r) {
                assertThat(open).as("row change outside a transaction at %s", r.position()).isEqualTo(1);
            }
        }
        assertThat(open).isZero();
    }

    /**
     * Every character set the server has, in VARCHAR and CHAR columns, decodes to what {@code SELECT} returns; every
     * 8-bit set (all decoded from MySQL's own byte tables, SingleByteCharset) also with every byte 0x01..0xFF.
     */
    @Test
    void everyCharacterSetDecodesAsSelectReturnsIt() throws Exception {
        Map<String, Integer> charsets = new LinkedHashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW CHARACTER SET")) {
            while (rs.next()) {
                charsets.put(rs.getString("Charset"), rs.getInt("Maxlen"));
            }
        }
        assertThat(charsets).containsKeys("dec8", "hp8", "swe7", "armscii8", "keybcs2", "geostd8", "utf32", "binary");
        String table = "every_charset";
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + schema() + "." + table + " (id INT PRIMARY KEY");
        charsets.forEach((charset, maxLength) -> {
            ddl.append(", v_").append(charset).append(" VARCHAR(").append(maxLength == 1 ? 255 : 20)
                    .append(") CHARACTER SET ").append(charset);
            ddl.append(", c_").append(charset).append(" CHAR(5) CHARACTER SET ").append(charset);
        });
        String[] texts = {"abc", "a b ", "é", "ü€", "中文", "日本", "한", "Ω", " x", ""};
        StringBuilder everyByte = new StringBuilder();
        for (int b = 1; b < 256; b++) {
            everyByte.append(String.format("%02X", b));
        }
        List<Map<Object, Object[]>> selected = new ArrayList<>();
        CollectingSink sink = decodeAround(null, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION sql_mode = ''"); // a text longer than CHAR(5) in a set's bytes is cut, not refused
                st.execute(ddl.append(")").toString());
                for (int i = 0; i <= texts.length; i++) {
                    StringBuilder insert = new StringBuilder("INSERT INTO " + schema() + "." + table + " VALUES (" + i);
                    for (Map.Entry<String, Integer> charset : charsets.entrySet()) {
                        String value = i < texts.length
                                ? "CONVERT(_utf8mb4'" + texts[i] + "' USING " + charset.getKey() + ")"
                                : charset.getValue() == 1 && !charset.getKey().equals("binary")
                                ? "CAST(UNHEX('" + everyByte + "') AS CHAR CHARACTER SET " + charset.getKey() + ")"
                                : "NULL";
                        insert.append(", ").append(value).append(", ").append(i < texts.length ? value : "NULL");
                    }
                    st.execute(insert.append(")").toString());
                }
                selected.add(selectAsUtf8(c, table, charsets.keySet()));
            }
        });
        List<RowChange> rows = sink.rows(schema()).stream().filter(r -> r.table().equals(table)).toList();
        assertThat(rows).hasSize(texts.length + 1);
        SoftAssertions soft = new SoftAssertions();
        for (RowChange row : rows) {
            Object[] expected = selected.get(0).get(row.after().get(0));
            for (int column = 1; column < expected.length; column++) {
                soft.assertThat(row.after().get(column)).as("%s of row %s", row.tableSchema().column(column).name(),
                        row.after().get(0)).isEqualTo(expected[column]);
            }
        }
        soft.assertAll();
    }

    /**
     * The rows with each text column converted to utf8mb4 by the server, with its own tables: Connector/J decodes
     * results of the 8-bit sets Java lacks (dec8, hp8, swe7, ...) with a stand-in charset of its own (é in swe7 came
     * back as {@code `}), so it cannot be the oracle for them. Binary columns as they are.
     */
    private Map<Object, Object[]> selectAsUtf8(Connection c, String table, java.util.Set<String> charsets)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        for (String charset : charsets) {
            for (String prefix : new String[]{"v_", "c_"}) {
                String name = "`" + prefix + charset + "`";
                columns.add(charset.equals("binary") ? name : "CONVERT(" + name + " USING utf8mb4)");
            }
        }
        Map<Object, Object[]> rows = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, " + String.join(", ", columns)
                + " FROM " + schema() + "." + table)) {
            while (rs.next()) {
                Object[] row = new Object[columns.size() + 1];
                row[0] = rs.getInt(1);
                for (int k = 0; k < columns.size(); k++) {
                    row[k + 1] = columns.get(k).startsWith("CONVERT") ? rs.getString(k + 2) : rs.getBytes(k + 2);
                }
                rows.put(row[0], row);
            }
        }
        return rows;
    }

    /** Seeded random values in columns of every storage width ({@link RandomValuesWorkload}) equal {@code SELECT}. */
    @Test
    void randomValuesOfEveryStorageWidthEqualSelect() throws Exception {
        String table = "random_values";
        RandomValuesWorkload workload = new RandomValuesWorkload(schema() + "." + table, 42);
        List<Map<Object, Object[]>> selected = new ArrayList<>();
        CollectingSink sink = decodeAround(null, c -> {
            try (Statement st = c.createStatement()) {
                st.execute(workload.createTable());
                for (String insert : workload.inserts(60)) {
                    st.execute(insert);
                }
                selected.add(JdbcRows.select(c, schema(), table));
            }
        });
        List<RowChange> rows = sink.rows(schema()).stream().filter(x -> x.table().equals(table)).toList();
        assertThat(rows).hasSize(60);
        for (RowChange row : rows) {
            JdbcRows.assertRow("row " + row.after().get(0), row.after(), selected.get(0).get(row.after().get(0)));
        }
    }
}
