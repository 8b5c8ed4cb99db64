package dev.canalboot.canal;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EntryType;
import dev.canalboot.proto.CanalEntryProtos.EventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanalEntryConverterTest {

    private final CanalEntryConverter converter =
            new CanalEntryConverter("src", new CanalValueConverter(ZoneOffset.UTC, ZeroDatePolicy.NULL));

    @org.junit.jupiter.api.BeforeEach
    void insideATransaction() {
        converter.inTransaction(true); // as after a BEGIN entry; see beginIsSuppliedWhenCanalSendsNone
    }

    @Test
    void beginIsSuppliedWhenCanalSendsNone() {
        converter.inTransaction(false); // after a COMMIT, as MariaDB transactions arrive through Canal
        CanalEntryProtos.RowData row = CanalEntryProtos.RowData.newBuilder()
                .addAfterColumns(column("id", "int(11)", "1", true, false)).build();
        List<ChangeEvent> events = convert(rows(EventType.INSERT, row));
        events.addAll(convert(rows(EventType.INSERT, row)));
        assertThat(events).hasSize(3);
        TransactionBoundary begin = (TransactionBoundary) events.get(0);
        assertThat(begin.kind()).isEqualTo(TransactionBoundary.Kind.BEGIN);
        assertThat(begin.position()).isEqualTo(events.get(1).position());
        assertThat(events.get(1)).isInstanceOf(RowChange.class);
        assertThat(events.get(2)).isInstanceOf(RowChange.class); // still the same transaction
        Entry end = Entry.newBuilder().setEntryType(EntryType.TRANSACTIONEND).setHeader(header(900))
                .setStoreValue(CanalEntryProtos.TransactionEnd.newBuilder().build().toByteString()).build();
        convert(end);
        assertThat(converter.inTransaction()).isFalse();
        assertThat(convert(rows(EventType.DELETE, CanalEntryProtos.RowData.newBuilder()
                .addBeforeColumns(column("id", "int(11)", "1", true, false)).build())).get(0))
                .isInstanceOf(TransactionBoundary.class);
    }

    private static CanalEntryProtos.Header.Builder header(long offset) {
        return CanalEntryProtos.Header.newBuilder().setLogfileName("binlog.000003").setLogfileOffset(offset)
                .setSchemaName("shop").setTableName("orders").setExecuteTime(1_700_000_000_123L)
                .setGtid("3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
    }

    private static CanalEntryProtos.Column column(String name, String type, String value, boolean key, boolean updated) {
        CanalEntryProtos.Column.Builder column = CanalEntryProtos.Column.newBuilder().setName(name)
                .setMysqlType(type).setIsKey(key).setUpdated(updated);
        return value == null ? column.setIsNull(true).build() : column.setValue(value).build();
    }

    private List<ChangeEvent> convert(Entry entry) {
        List<ChangeEvent> events = new ArrayList<>();
        converter.convert(entry.toByteString(), events);
        return events;
    }

    private static Entry rows(EventType type, CanalEntryProtos.RowData... rows) {
        CanalEntryProtos.RowChange.Builder change = CanalEntryProtos.RowChange.newBuilder().setEventType(type);
        for (CanalEntryProtos.RowData row : rows) {
            change.addRowDatas(row);
        }
        return Entry.newBuilder().setEntryType(EntryType.ROWDATA).setHeader(header(400).setEventType(type))
                .setStoreValue(change.build().toByteString()).build();
    }

    @Test
    void updateCarriesBothImagesPositionTimestampAndPrimaryKey() {
        CanalEntryProtos.RowData row = CanalEntryProtos.RowData.newBuilder()
                .addBeforeColumns(column("id", "bigint(20) unsigned", "18446744073709551615", true, false))
                .addBeforeColumns(column("amount", "decimal(10,2)", "1.5", false, false))
                .addBeforeColumns(column("note", "varchar(10)", null, false, false))
                .addAfterColumns(column("id", "bigint(20) unsigned", "18446744073709551615", true, false))
                .addAfterColumns(column("amount", "decimal(10,2)", "2.5", false, true))
                .addAfterColumns(column("note", "varchar(10)", null, false, false))
                .build();
        List<ChangeEvent> events = convert(rows(EventType.UPDATE, row));
        assertThat(events).hasSize(1);
        RowChange change = (RowChange) events.get(0);
        assertThat(change.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(change.qualifiedTable()).isEqualTo("shop.orders");
        assertThat(change.primaryKey()).containsExactly("id");
        assertThat(change.position()).isEqualTo(new SourcePosition("binlog.000003", 400,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:23"));
        assertThat(change.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(change.before().get("amount")).isEqualTo(new java.math.BigDecimal("1.50"));
        assertThat(change.after().get("amount")).isEqualTo(new java.math.BigDecimal("2.50"));
        assertThat(change.after().get("note")).isNull();
        // Canal's updated flags and the model's value comparison agree.
        assertThat(change.changedColumns()).containsExactly("amount");
    }

    @Test
    void rowsOfTheSameShapeShareOneSchemaAndANewShapeGetsANewOne() {
        CanalEntryProtos.RowData one = CanalEntryProtos.RowData.newBuilder()
                .addAfterColumns(column("id", "int(11)", "1", true, false)).build();
        CanalEntryProtos.RowData two = CanalEntryProtos.RowData.newBuilder()
                .addAfterColumns(column("id", "int(11)", "2", true, false)).build();
        List<ChangeEvent> events = convert(rows(EventType.INSERT, one, two));
        events.addAll(convert(rows(EventType.INSERT, one)));
        assertThat(events).extracting(e -> ((RowChange) e).tableSchema()).allSatisfy(schema ->
                assertThat(schema).isSameAs(((RowChange) events.get(0)).tableSchema()));
        CanalEntryProtos.RowData altered = CanalEntryProtos.RowData.newBuilder()
                .addAfterColumns(column("id", "bigint(20)", "3", true, false)).build();
        RowChange after = (RowChange) convert(rows(EventType.INSERT, altered)).get(0);
        assertThat(after.tableSchema()).isNotSameAs(((RowChange) events.get(0)).tableSchema());
        assertThat(after.after().get("id")).isEqualTo(3L);
    }

    @Test
    void deleteHasOnlyTheBeforeImage() {
        CanalEntryProtos.RowData row = CanalEntryProtos.RowData.newBuilder()
                .addBeforeColumns(column("id", "int(11)", "7", true, false)).build();
        RowChange change = (RowChange) convert(rows(EventType.DELETE, row)).get(0);
        assertThat(change.type()).isEqualTo(ChangeType.DELETE);
        assertThat(change.after()).isNull();
        assertThat(change.before().get("id")).isEqualTo(7);
    }

    @Test
    void ddlBecomesASchemaChange() {
        Entry ddl = Entry.newBuilder().setEntryType(EntryType.ROWDATA).setHeader(header(500).setEventType(EventType.ALTER))
                .setStoreValue(CanalEntryProtos.RowChange.newBuilder().setEventType(EventType.ALTER).setIsDdl(true)
                        .setSql("ALTER TABLE orders ADD note text").setDdlSchemaName("shop").build().toByteString())
                .build();
        SchemaChange change = (SchemaChange) convert(ddl).get(0);
        assertThat(change.schema()).isEqualTo("shop");
        assertThat(change.table()).isEqualTo("orders");
        assertThat(change.sql()).isEqualTo("ALTER TABLE orders ADD note text");
        assertThat(change.source()).isEqualTo("src");
    }

    @Test
    void accountStatementsAreNoSchemaChange() {
        Entry grant = Entry.newBuilder().setEntryType(EntryType.ROWDATA).setHeader(header(600).setEventType(EventType.QUERY))
                .setStoreValue(CanalEntryProtos.RowChange.newBuilder().setEventType(EventType.QUERY).setIsDdl(true)
                        .setSql("GRANT SELECT ON shop.* TO 'reader'@'%'").build().toByteString())
                .build();
        assertThat(convert(grant)).noneMatch(e -> e instanceof SchemaChange);
    }

    @Test
    void transactionBeginAndEndBecomeBoundaries() {
        Entry begin = Entry.newBuilder().setEntryType(EntryType.TRANSACTIONBEGIN).setHeader(header(100))
                .setStoreValue(CanalEntryProtos.TransactionBegin.newBuilder().setThreadId(5).build().toByteString()).build();
        Entry end = Entry.newBuilder().setEntryType(EntryType.TRANSACTIONEND).setHeader(header(900))
                .setStoreValue(CanalEntryProtos.TransactionEnd.newBuilder().setTransactionId("4711").build().toByteString())
                .build();
        TransactionBoundary b = (TransactionBoundary) convert(begin).get(0);
        TransactionBoundary e = (TransactionBoundary) convert(end).get(0);
        assertThat(b.kind()).isEqualTo(TransactionBoundary.Kind.BEGIN);
        assertThat(b.transactionId()).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
        assertThat(e.kind()).isEqualTo(TransactionBoundary.Kind.COMMIT);
        assertThat(e.transactionId()).isEqualTo("4711");
        assertThat(e.position().offset()).isEqualTo(900);
    }

    @Test
    void heartbeatsCarryNoEvent() {
        assertThat(convert(Entry.newBuilder().setEntryType(EntryType.HEARTBEAT).setHeader(header(1)).build())).isEmpty();
    }

    @Test
    void aBadValueNamesTablePositionAndColumn() {
        CanalEntryProtos.RowData row = CanalEntryProtos.RowData.newBuilder()
                .addAfterColumns(column("qty", "smallint(6)", "99999", false, false)).build();
        assertThatThrownBy(() -> convert(rows(EventType.INSERT, row)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shop.orders").hasMessageContaining("binlog.000003:400")
                .hasMessageContaining("Column qty").hasMessageContaining("'99999'");
    }
}
