package dev.canalboot.internal.binlog.schema;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checkpoint form of the history (compact, complete states restored complete) and what a restored history
 * asks the server, against an in-memory catalog that counts its reads.
 */
class SchemaStateTest {

    /** A server's catalog in memory: its present tables and the DDL after any position; counts the reads. */
    static final class FakeCatalog extends ServerCatalog {
        final Map<TableKey, TableDefinition> present = new HashMap<>();
        final Map<TableKey, String> later = new HashMap<>();
        int presentReads;
        int scans;

        FakeCatalog() {
            super(null, null, null);
        }

        @Override
        synchronized boolean mariaDb() {
            return false;
        }

        @Override
        synchronized Present present(TableKey only) {
            presentReads++;
            Map<TableKey, TableDefinition> tables = new HashMap<>(present);
            if (only != null) {
                tables.keySet().retainAll(List.of(only));
            }
            return new Present(tables, Map.of("db", "utf8mb4"), "utf8mb4");
        }

        @Override
        synchronized LaterDdl laterDdl(String file, long position) {
            scans++;
            return new LaterDdl(later, Map.of(), Map.of());
        }

        @Override
        public synchronized void close() {
        }
    }

    private FakeCatalog catalog;

    @BeforeEach
    void setUp() {
        catalog = new FakeCatalog();
        catalog.present.put(new TableKey("db", "t"), table("t", "a"));
    }

    private static TableDefinition table(String name, String... columns) {
        List<ColumnDefinition> cols = new ArrayList<>(List.of(new ColumnDefinition("id", "int", "int", null, true)));
        for (String c : columns) {
            cols.add(new ColumnDefinition(c, "varchar", "varchar(20)", "utf8mb4", false));
        }
        return new TableDefinition("db", name, cols, "utf8mb4");
    }

    private SchemaHistory history(SchemaState from) {
        SchemaHistory h = new SchemaHistory("test", catalog);
        h.reset(from);
        h.streamAt("binlog.000001", 100);
        return h;
    }

    @Test
    void aCompleteStateRestoredFromItsCheckpointFormAsksTheServerNothing() {
        SchemaHistory first = history(null);
        assertThat(first.columns("db", "t")).extracting(c -> c.name()).containsExactly("id", "a");
        assertThat(catalog.presentReads).isEqualTo(1);
        assertThat(catalog.scans).isEqualTo(1);
        first.ddl("db", "CREATE TABLE u (id INT PRIMARY KEY, b TEXT)");
        String saved = first.state().encode();

        // The server's present definition changed since: a restart must not take it, nor read anything.
        catalog.present.put(new TableKey("db", "t"), table("t", "a", "z"));
        SchemaHistory restarted = history(SchemaState.decode(saved));
        assertThat(restarted.columns("db", "t")).extracting(c -> c.name()).containsExactly("id", "a");
        assertThat(restarted.columns("db", "u")).extracting(c -> c.name()).containsExactly("id", "b");
        assertThat(catalog.presentReads).isEqualTo(1);
        assertThat(catalog.scans).isEqualTo(1);
    }

    @Test
    void aStateOfTheOlderFormIsCompletedFromTheServerOnce() {
        SchemaState.Draft d = SchemaState.EMPTY.draft();
        d.put(table("old", "x"));
        String v1 = "{\"v\":1,\"server\":\"utf8mb4\",\"schemas\":{\"db\":\"utf8mb4\"},\"tables\":[[\"db\",\"old\","
                + "\"utf8mb4\",[[\"id\",\"int\",\"int\",\"\",true],[\"x\",\"varchar\",\"varchar(20)\",\"utf8mb4\",false]]]],"
                + "\"unknown\":[]}";
        SchemaState restored = SchemaState.decode(v1);
        assertThat(restored.tables).isEqualTo(d.done().tables);
        assertThat(restored.seeded).isFalse();
        SchemaHistory h = history(restored);
        assertThat(h.columns("db", "t")).extracting(c -> c.name()).containsExactly("id", "a");
        h.columns("db", "old");
        assertThat(catalog.presentReads).isEqualTo(1);
        assertThat(h.state().seeded).isTrue();
    }

    @Test
    void aTableNamedNowhereInACompleteStateIsReadOnlyWithAProof() {
        SchemaHistory h = history(null);
        h.columns("db", "t");
        // Created without being logged (sql_log_bin=0), unchanged since: the server's definition is provably right.
        catalog.present.put(new TableKey("db", "quiet"), table("quiet", "q"));
        assertThat(h.columns("db", "quiet")).extracting(c -> c.name()).containsExactly("id", "q");
        // The same, but a later DDL changes it: no guess.
        catalog.present.put(new TableKey("db", "moved"), table("moved", "m"));
        catalog.later.put(new TableKey("db", "moved"), "it changes later in the binlog, at binlog.000001:900: ALTER ...");
        assertThatThrownBy(() -> h.columns("db", "moved")).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("db.moved").hasMessageContaining("binlog.000001:900")
                .hasMessageContaining("binlog_row_metadata=FULL");
    }

    @Test
    void theCheckpointFormIsCompactAndExact() {
        SchemaState.Draft d = SchemaState.EMPTY.draft();
        d.serverCharset = "utf8mb4";
        d.schemaCharsets.put("db", "utf8mb4");
        List<ColumnDefinition> columns = List.of(
                new ColumnDefinition("id", "bigint", "bigint unsigned", null, true),
                new ColumnDefinition("name", "varchar", "varchar(40)", "utf8mb4", false),
                new ColumnDefinition("legacy", "char", "char(3)", "latin1", false),
                new ColumnDefinition("doc", "longtext", "longtext", "utf8mb4", false),
                new ColumnDefinition("raw", "varbinary", "varbinary(8)", null, false),
                new ColumnDefinition("kind", "enum", "enum('a','b c')", "utf8mb4", true),
                new ColumnDefinition("odd", "double", "double precision", null, false),
                new ColumnDefinition("nocs", "varchar", "varchar(2)", null, false));
        d.put(new TableDefinition("db", "t", columns, "utf8mb4"));
        d.put(new TableDefinition("db", "nocharset", List.of(new ColumnDefinition("v", "varchar", "varchar(1)", "latin1", false)), null));
        d.markUnknown(new TableKey("db", "u"), "why");
        d.seeded = true;
        SchemaState state = d.done();
        String text = state.encode();
        SchemaState back = SchemaState.decode(text);
        assertThat(back.tables).isEqualTo(state.tables);
        assertThat(back.unknown).isEqualTo(state.unknown);
        assertThat(back.schemaCharsets).isEqualTo(state.schemaCharsets);
        assertThat(back.serverCharset).isEqualTo("utf8mb4");
        assertThat(back.seeded).isTrue();
        assertThat(text).contains("[\"name\",\"varchar(40)\"]").contains("[\"legacy\",\"char(3)\",\"latin1\"]")
                .contains("[\"id\",\"bigint unsigned\",null,true]");

        // A wide table: the form stays well below 30 bytes per column.
        List<ColumnDefinition> wide = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            wide.add(i % 2 == 0 ? new ColumnDefinition("col_" + i, "int", "int", null, i == 0)
                    : new ColumnDefinition("col_" + i, "varchar", "varchar(255)", "utf8mb4", false));
        }
        SchemaState.Draft w = SchemaState.EMPTY.draft();
        w.put(new TableDefinition("db", "wide", wide, "utf8mb4"));
        assertThat(w.done().encode().length()).isLessThan(200 * 30);
    }

    @Test
    void theCheckpointFormDoesNotGrowWithTheNumberOfDdlStatements() {
        SchemaHistory h = history(null);
        h.ddl("db", "ALTER TABLE t ADD COLUMN b INT"); // the first need seeds the history from the server
        h.ddl("db", "ALTER TABLE t DROP COLUMN b");
        String once = h.state().encode();
        for (int i = 0; i < 500; i++) {
            h.ddl("db", "ALTER TABLE t ADD COLUMN c" + i + " INT FIRST, RENAME COLUMN a TO a" + i);
            h.ddl("db", "CREATE TABLE x" + i + " LIKE t");
            h.ddl("db", "RENAME TABLE t TO t_old, x" + i + " TO t");
            h.ddl("db", "DROP TABLE t");
            h.ddl("db", "RENAME TABLE t_old TO t");
            h.ddl("db", "ALTER TABLE t DROP COLUMN c" + i + ", RENAME COLUMN a" + i + " TO a");
        }
        // 3,000 statements later the tables are as they were, and so is the history: definitions, not a log.
        assertThat(h.state().encode()).isEqualTo(once);
        assertThat(h.state().tables.get(new TableKey("db", "t")).columnNames()).containsExactly("id", "a");
    }
}
