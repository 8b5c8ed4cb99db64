package dev.canalboot.testsupport;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Test events for tests without a server: tables shop.orders, shop.customers, crm.contacts and positions that increase. */
public final class Events {

    public static final TableSchema ORDERS = new TableSchema("shop", "orders", List.of(
            column("id", 0, ColumnType.BIGINT, true),
            column("order_no", 1, ColumnType.VARCHAR, false),
            column("amount", 2, ColumnType.DECIMAL, false),
            column("created_at", 3, ColumnType.DATETIME, false),
            column("quantity", 4, ColumnType.INT, false)));

    public static final TableSchema CUSTOMERS = new TableSchema("shop", "customers", List.of(
            column("id", 0, ColumnType.BIGINT, true),
            column("name", 1, ColumnType.VARCHAR, false)));

    public static final TableSchema CONTACTS = new TableSchema("crm", "contacts", List.of(
            column("id", 0, ColumnType.BIGINT, true),
            column("name", 1, ColumnType.VARCHAR, false)));

    private static final AtomicLong OFFSET = new AtomicLong(4);

    private final String source;

    public Events(String source) {
        this.source = source;
    }

    public static Column column(String name, int index, ColumnType type, boolean primaryKey) {
        return new Column(name, index, type, false, 0, type == ColumnType.DECIMAL ? 2 : 0, null, primaryKey, List.of());
    }

    public static Object[] order(long id, String orderNo, String amount, int quantity) {
        return new Object[]{id, orderNo, new BigDecimal(amount), LocalDateTime.of(2026, 1, 2, 3, 4, 5), quantity};
    }

    /** An INSERT of one row {@code (id)} into {@code schema.table}, a table of one BIGINT key column. */
    public static RowChange idInsert(String source, String schema, String table, long id) {
        TableSchema keyOnly = new TableSchema(schema, table, List.of(column("id", 0, ColumnType.BIGINT, true)));
        return new Events(source).insert(keyOnly, id);
    }

    public RowChange insert(TableSchema table, Object... values) {
        return new RowChange(source, table, ChangeType.INSERT, null, new Row(table, values), next(), Instant.EPOCH);
    }

    public RowChange update(TableSchema table, Object[] before, Object[] after) {
        return new RowChange(source, table, ChangeType.UPDATE, new Row(table, before), new Row(table, after), next(),
                Instant.EPOCH);
    }

    public RowChange delete(TableSchema table, Object... values) {
        return new RowChange(source, table, ChangeType.DELETE, new Row(table, values), null, next(), Instant.EPOCH);
    }

    public RowChange snapshot(TableSchema table, Object... values) {
        return new RowChange(source, table, ChangeType.SNAPSHOT, null, new Row(table, values), next(), Instant.EPOCH);
    }

    public RowChange customer(long id, String name) {
        return insert(CUSTOMERS, id, name);
    }

    public RowChange contact(long id, String name) {
        return insert(CONTACTS, id, name);
    }

    public SchemaChange ddl(String schema, String table, String sql) {
        return new SchemaChange(source, schema, table, sql, next(), Instant.EPOCH);
    }

    public TransactionBoundary begin() {
        return new TransactionBoundary(source, TransactionBoundary.Kind.BEGIN, null, next(), Instant.EPOCH);
    }

    public TransactionBoundary commit(String xid) {
        return new TransactionBoundary(source, TransactionBoundary.Kind.COMMIT, xid, next(), Instant.EPOCH);
    }

    private static SourcePosition next() {
        return new SourcePosition("binlog.000001", OFFSET.getAndAdd(100), null);
    }
}
