package dev.canalboot.canal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.canalboot.internal.binlog.event.DdlStatements;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EventType;
import dev.canalboot.proto.CanalEntryProtos.Header;
import dev.canalboot.proto.CanalEntryProtos.RowData;

import org.jspecify.annotations.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Canal entries → model events: ROWDATA rows → {@link RowChange}, DDL → {@link SchemaChange}, transaction
 * begin/end → {@link TransactionBoundary}; heartbeats and GTID markers carry no change and are skipped.
 * <p>
 * A {@link TableSchema} is built once per table and column shape (names, type texts, key flags) and shared
 * by every row of that shape. Not thread-safe: one converter per source, used by the polling thread.
 */
public final class CanalEntryConverter {

    private final String source;
    private final CanalValueConverter values;
    /** Last schema seen per {@code schema.table}: a table changes shape rarely, so one slot suffices. */
    private final Map<String, CachedSchema> schemas = new HashMap<>();
    /** Whether the entries so far left a transaction open (BEGIN seen, COMMIT not yet). */
    private boolean inTransaction;

    private record CachedSchema(List<CanalEntryProtos.Column> shape, TableSchema schema) {
    }

    public CanalEntryConverter(String source, CanalValueConverter values) {
        this.source = source;
        this.values = values;
    }

    /**
     * Parses one serialized entry and appends its events to {@code out}.
     *
     * @return the entry's execute time in epoch millis (0 when it has no header)
     * @throws IllegalArgumentException naming the position, table and column of what could not be decoded
     */
    public long convert(ByteString serializedEntry, List<ChangeEvent> out) {
        Entry entry;
        try {
            entry = Entry.parseFrom(serializedEntry);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("corrupt entry of " + serializedEntry.size() + " bytes: "
                    + e.getMessage(), e);
        }
        convert(entry, out);
        return entry.getHeader().getExecuteTime();
    }

    public void convert(Entry entry, List<ChangeEvent> out) {
        Header header = entry.getHeader();
        // Canal derives the offset as event end minus event length; events that carry no end position
        // (seen with MariaDB 11.4) come out negative: the offset is unknown then.
        long offset = header.getLogfileOffset() >= 0 ? header.getLogfileOffset() : -1;
        SourcePosition position = new SourcePosition(emptyToNull(header.getLogfileName()), offset,
                emptyToNull(header.getGtid()));
        Instant timestamp = Instant.ofEpochMilli(header.getExecuteTime());
        try {
            switch (entry.getEntryType()) {
                case TRANSACTIONBEGIN -> {
                    inTransaction = true;
                    out.add(new TransactionBoundary(source, TransactionBoundary.Kind.BEGIN,
                            emptyToNull(header.getGtid()), position, timestamp));
                }
                case TRANSACTIONEND -> {
                    inTransaction = false;
                    CanalEntryProtos.TransactionEnd end = CanalEntryProtos.TransactionEnd.parseFrom(entry.getStoreValue());
                    String id = emptyToNull(end.getTransactionId());
                    out.add(new TransactionBoundary(source, TransactionBoundary.Kind.COMMIT,
                            id != null ? id : emptyToNull(header.getGtid()), position, timestamp));
                }
                case ROWDATA -> rowData(header, CanalEntryProtos.RowChange.parseFrom(entry.getStoreValue()),
                        position, timestamp, out);
                case HEARTBEAT, GTIDLOG -> { }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("corrupt " + entry.getEntryType() + " entry at " + position + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decode " + header.getSchemaName() + "." + header.getTableName()
                    + " at " + position + ": " + e.getMessage(), e);
        }
    }

    /** Whether the entries converted so far end inside a transaction. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /**
     * Resets the transaction state, e.g. to the state at the end of the last acknowledged batch when the
     * server delivers again from there.
     */
    public void inTransaction(boolean inTransaction) {
        this.inTransaction = inTransaction;
    }

    private void rowData(Header header, CanalEntryProtos.RowChange change, SourcePosition position,
                         Instant timestamp, List<ChangeEvent> out) {
        EventType eventType = change.getEventType();
        if (change.getIsDdl() || isDdl(eventType)) {
            if (DdlStatements.isAccountManagement(change.getSql())) {
                return; // GRANT, CREATE USER, ...: no table changed, as on the binlog source
            }
            String schema = emptyToNull(change.getDdlSchemaName());
            out.add(new SchemaChange(source, schema != null ? schema : emptyToNull(header.getSchemaName()),
                    emptyToNull(header.getTableName()), change.getSql(), position, timestamp));
            return;
        }
        ChangeType type = switch (eventType) {
            case INSERT -> ChangeType.INSERT;
            case UPDATE -> ChangeType.UPDATE;
            case DELETE -> ChangeType.DELETE;
            // Row-query texts, XA markers, GTID and heartbeat events carry no row change.
            default -> null;
        };
        if (type == null) {
            return;
        }
        if (!inTransaction) {
            // MariaDB opens a transaction with a GTID event, of which Canal 1.1.7 makes no TRANSACTIONBEGIN:
            // supply the BEGIN so that listeners see the same boundaries as from MySQL.
            inTransaction = true;
            out.add(new TransactionBoundary(source, TransactionBoundary.Kind.BEGIN, position.gtid(), position,
                    timestamp));
        }
        for (RowData rowData : change.getRowDatasList()) {
            List<CanalEntryProtos.Column> imageColumns =
                    type == ChangeType.DELETE ? rowData.getBeforeColumnsList() : rowData.getAfterColumnsList();
            TableSchema schema = schema(header.getSchemaName(), header.getTableName(), imageColumns);
            Row before = type == ChangeType.INSERT ? null : row(schema, rowData.getBeforeColumnsList());
            Row after = type == ChangeType.DELETE ? null : row(schema, rowData.getAfterColumnsList());
            out.add(new RowChange(source, schema, type, before, after, position, timestamp));
        }
    }

    private static boolean isDdl(EventType type) {
        return switch (type) {
            case CREATE, ALTER, ERASE, TRUNCATE, RENAME, CINDEX, DINDEX -> true;
            default -> false;
        };
    }

    private Row row(TableSchema schema, List<CanalEntryProtos.Column> columns) {
        if (columns.size() != schema.size()) {
            throw new IllegalArgumentException("row image has " + columns.size() + " columns, the table "
                    + schema.size() + " (binlog_row_image must be FULL)");
        }
        Object[] rowValues = new Object[columns.size()];
        for (int i = 0; i < rowValues.length; i++) {
            CanalEntryProtos.Column column = columns.get(i);
            rowValues[i] = values.convert(schema.column(i), column.getValue(), column.getIsNull());
        }
        return new Row(schema, rowValues);
    }

    private TableSchema schema(String schemaName, String tableName, List<CanalEntryProtos.Column> columns) {
        String key = schemaName + "." + tableName;
        CachedSchema cached = schemas.get(key);
        if (cached != null && sameShape(cached.shape(), columns)) {
            return cached.schema();
        }
        List<Column> modelColumns = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            CanalEntryProtos.Column column = columns.get(i);
            modelColumns.add(MySqlTypeText.parse(column.getMysqlType()).column(column.getName(), i, column.getIsKey()));
        }
        TableSchema schema = new TableSchema(schemaName, tableName, modelColumns);
        CanalDamagedColumns.warnOf(source, key, columns.stream().map(CanalEntryProtos.Column::getName).toList(),
                columns.stream().map(CanalEntryProtos.Column::getMysqlType).toList());
        schemas.put(key, new CachedSchema(List.copyOf(columns), schema));
        return schema;
    }

    private static boolean sameShape(List<CanalEntryProtos.Column> shape, List<CanalEntryProtos.Column> columns) {
        if (shape.size() != columns.size()) {
            return false;
        }
        for (int i = 0; i < shape.size(); i++) {
            CanalEntryProtos.Column a = shape.get(i);
            CanalEntryProtos.Column b = columns.get(i);
            if (a.getIsKey() != b.getIsKey() || !a.getName().equals(b.getName())
                    || !a.getMysqlType().equals(b.getMysqlType())) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
