package dev.canalboot.relay;

import dev.canalboot.canal.FlatMessage;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.model.TableSchema;
import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Canal flat messages built from model events: rows, their old values, DDL and their Canal event types. */
class FlatMessagesTest {

    private static final TableSchema ORDERS = new TableSchema("shop", "orders", List.of(
            new Column("id", 0, ColumnType.BIGINT, false, 0, 0, null, true, List.of()),
            new Column("status", 1, ColumnType.VARCHAR, false, 32, 0, "utf8mb4", false, List.of()),
            new Column("note", 2, ColumnType.VARCHAR, false, 32, 0, "utf8mb4", false, List.of())));
    private static final TableSchema LOG = new TableSchema("shop", "log", List.of(
            new Column("msg", 0, ColumnType.VARCHAR, false, 32, 0, "utf8mb4", false, List.of())));
    private static final SourcePosition POSITION = new SourcePosition("binlog.000001", 400, "uuid:7");
    private static final Instant COMMITTED = Instant.parse("2026-01-02T03:04:05Z");

    private final FlatMessages messages = new FlatMessages(new CanalColumnText(ZoneId.of("UTC")));

    private static RowChange change(TableSchema table, ChangeType type, Object[] before, Object[] after) {
        return new RowChange("s", table, type, before == null ? null : new Row(table, before),
                after == null ? null : new Row(table, after), POSITION, COMMITTED);
    }

    private static Map<String, String> map(String... keysAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void insertsCarryTheirRowsTypesAndKeyButNoOld() {
        FlatMessage message = messages.rows(9, List.of(
                change(ORDERS, ChangeType.INSERT, null, new Object[]{1L, "new", null}),
                change(ORDERS, ChangeType.INSERT, null, new Object[]{2L, "paid", "x"})));

        assertThat(message.id()).isEqualTo(9);
        assertThat(message.database()).isEqualTo("shop");
        assertThat(message.table()).isEqualTo("orders");
        assertThat(message.type()).isEqualTo("INSERT");
        assertThat(message.isDdl()).isFalse();
        assertThat(message.sql()).isEmpty();
        assertThat(message.pkNames()).containsExactly("id");
        assertThat(message.es()).isEqualTo(COMMITTED.toEpochMilli());
        assertThat(message.gtid()).isEqualTo("uuid:7");
        assertThat(message.data()).containsExactly(map("id", "1", "status", "new", "note", null),
                map("id", "2", "status", "paid", "note", "x"));
        assertThat(message.old()).isNull();
        assertThat(message.sqlType()).containsExactly(Map.entry("id", Types.BIGINT), Map.entry("status", Types.VARCHAR),
                Map.entry("note", Types.VARCHAR));
        assertThat(message.mysqlType()).containsKeys("id", "status", "note");
        assertThat(message.mysqlType()).containsEntry("id", "bigint").containsEntry("status", "varchar(32)");
    }

    @Test
    void anUpdateHasItsAfterImageAsDataAndOnlyTheChangedColumnsBeforeAsOld() {
        FlatMessage message = messages.rows(1, List.of(
                change(ORDERS, ChangeType.UPDATE, new Object[]{1L, "new", "a"}, new Object[]{1L, "paid", "a"}),
                change(ORDERS, ChangeType.UPDATE, new Object[]{2L, "new", "b"}, new Object[]{2L, "new", "b"})));

        assertThat(message.data()).containsExactly(map("id", "1", "status", "paid", "note", "a"),
                map("id", "2", "status", "new", "note", "b"));
        assertThat(message.old()).as("the row where nothing changed has no old entry")
                .containsExactly(map("status", "new"));
    }

    @Test
    void anUpdateWhereNoRowChangedHasNoOld() {
        FlatMessage message = messages.rows(1, List.of(
                change(ORDERS, ChangeType.UPDATE, new Object[]{1L, "new", "a"}, new Object[]{1L, "new", "a"})));

        assertThat(message.old()).isNull();
    }

    @Test
    void aDeleteHasItsBeforeImageAsData() {
        FlatMessage message = messages.rows(1, List.of(change(ORDERS, ChangeType.DELETE,
                new Object[]{3L, "gone", null}, null)));

        assertThat(message.type()).isEqualTo("DELETE");
        assertThat(message.data()).containsExactly(map("id", "3", "status", "gone", "note", null));
        assertThat(message.old()).isNull();
    }

    @Test
    void snapshotRowsAreInsertsAndATableWithoutKeyHasNullPkNames() {
        FlatMessage message = messages.rows(1, List.of(change(LOG, ChangeType.SNAPSHOT, null, new Object[]{"hi"})));

        assertThat(message.type()).isEqualTo("INSERT");
        assertThat(message.pkNames()).isNull();
        assertThat(FlatMessages.canalType(ChangeType.UPDATE)).isEqualTo("UPDATE");
    }

    @Test
    void aDdlMessageCarriesItsStatementAndNoRows() {
        SchemaChange ddl = new SchemaChange("s", "shop", "orders", "ALTER TABLE orders ADD c INT", POSITION, COMMITTED);

        FlatMessage message = messages.ddl(5, ddl);

        assertThat(message.isDdl()).isTrue();
        assertThat(message.type()).isEqualTo("ALTER");
        assertThat(message.sql()).isEqualTo("ALTER TABLE orders ADD c INT");
        assertThat(message.database()).isEqualTo("shop");
        assertThat(message.table()).isEqualTo("orders");
        assertThat(message.data()).isNull();
        assertThat(message.sqlType()).isNull();
        assertThat(message.pkNames()).isNull();
        assertThat(message.gtid()).isEqualTo("uuid:7");
    }

    @Test
    void aDdlNamesTheTablesOwnSchemaAndARenameTheNewTable() {
        TableDefinition before = new TableDefinition("archive", "orders", List.of(), null);
        TableDefinition after = new TableDefinition("archive", "orders_2025", List.of(), null);
        SchemaChange rename = new SchemaChange("s", "shop", "orders", "RENAME TABLE archive.orders TO archive.orders_2025",
                POSITION, COMMITTED, before, after);
        SchemaChange drop = new SchemaChange("s", "shop", "orders", "DROP TABLE archive.orders", POSITION, COMMITTED,
                before, null);

        assertThat(messages.ddl(1, rename).database()).isEqualTo("archive");
        assertThat(messages.ddl(1, rename).table()).isEqualTo("orders_2025");
        assertThat(messages.ddl(1, drop).database()).isEqualTo("archive");
        assertThat(messages.ddl(1, drop).table()).isEqualTo("orders");
    }

    @Test
    void ddlTypesFollowTheLeadingWordsAsCanalNamesThem() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("CREATE TABLE t (id INT)", "CREATE"),
                Map.entry("create temporary table t (id int)", "CREATE"),
                Map.entry("CREATE INDEX i ON t (c)", "CINDEX"),
                Map.entry("CREATE UNIQUE INDEX i ON t (c)", "CINDEX"),
                Map.entry("CREATE DATABASE d", "QUERY"),
                Map.entry("ALTER TABLE t ADD c INT", "ALTER"),
                Map.entry("ALTER DATABASE d CHARACTER SET utf8mb4", "QUERY"),
                Map.entry("DROP TABLE t", "ERASE"),
                Map.entry("DROP TEMPORARY TABLE t", "ERASE"),
                Map.entry("DROP INDEX i ON t", "DINDEX"),
                Map.entry("DROP VIEW v", "QUERY"),
                Map.entry("RENAME TABLE a TO b", "RENAME"),
                Map.entry("TRUNCATE TABLE t", "TRUNCATE"),
                Map.entry("/* gh-ost */ ALTER TABLE t ENGINE=InnoDB", "ALTER"),
                Map.entry("  \n DROP  TABLE t", "ERASE"),
                Map.entry("GRANT SELECT ON *.* TO u", "QUERY"),
                Map.entry("", "QUERY"));
        expected.forEach((sql, type) -> assertThat(FlatMessages.ddlType(sql)).as(sql).isEqualTo(type));
    }
}
