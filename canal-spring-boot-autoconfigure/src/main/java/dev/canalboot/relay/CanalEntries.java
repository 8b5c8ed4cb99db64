package dev.canalboot.relay;

import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.proto.CanalEntryProtos.Entry;
import dev.canalboot.proto.CanalEntryProtos.EntryType;
import dev.canalboot.proto.CanalEntryProtos.EventType;
import dev.canalboot.proto.CanalEntryProtos.Header;
import dev.canalboot.proto.CanalEntryProtos.RowData;
import dev.canalboot.proto.CanalPacketProtos.Messages;
import dev.canalboot.proto.CanalPacketProtos.Packet;
import dev.canalboot.proto.CanalPacketProtos.PacketType;

import java.time.Instant;
import java.util.List;

/**
 * Builds Canal's protobuf form of model events, as a Canal server in MQ mode with {@code canal.mq.flatMessage=false}
 * writes it: per Kafka record one {@code Packet} of type {@code MESSAGES} whose {@code Messages} body holds
 * serialized {@code Entry}s. A run of rows (one table, one change type, one binlog event) becomes one ROWDATA entry,
 * a DDL one ROWDATA entry with {@code isDdl}. Column values are the flat messages' text ({@link CanalColumnText}),
 * which is what Canal puts into both forms; the header keeps the binlog file, offset and GTID. No transaction
 * begin/end entries are written, as Canal's partitioned MQ output carries none. Stateless, thread-safe.
 */
public final class CanalEntries {

    private final CanalColumnText text;

    public CanalEntries(CanalColumnText text) {
        this.text = text;
    }

    /** The entry of a run of rows sharing table, type and position (the caller groups them). */
    public Entry rows(List<RowChange> rows) {
        RowChange first = rows.get(0);
        ChangeType type = first.type();
        EventType eventType = EventType.valueOf(FlatMessages.canalType(type));
        CanalEntryProtos.RowChange.Builder change = CanalEntryProtos.RowChange.newBuilder()
                .setEventType(eventType).setIsDdl(false);
        for (RowChange row : rows) {
            RowData.Builder data = RowData.newBuilder();
            if (row.before() != null) {
                columns(row, row.before(), false, data);
            }
            if (row.after() != null) {
                columns(row, row.after(), true, data);
            }
            change.addRowDatas(data);
        }
        return Entry.newBuilder().setEntryType(EntryType.ROWDATA)
                .setHeader(header(first.schema(), first.table(), eventType, first.position(), first.timestamp()))
                .setStoreValue(change.build().toByteString()).build();
    }

    /** The entry of one DDL, named as its flat message names it. */
    public Entry ddl(SchemaChange ddl, String schema, String table, String canalType) {
        EventType eventType = EventType.valueOf(canalType);
        CanalEntryProtos.RowChange.Builder change = CanalEntryProtos.RowChange.newBuilder()
                .setEventType(eventType).setIsDdl(true).setSql(ddl.sql());
        if (ddl.schema() != null) {
            change.setDdlSchemaName(ddl.schema());
        }
        return Entry.newBuilder().setEntryType(EntryType.ROWDATA)
                .setHeader(header(schema, table, eventType, ddl.position(), ddl.timestamp()))
                .setStoreValue(change.build().toByteString()).build();
    }

    /** One Kafka record's value: the entries in a {@code MESSAGES} packet of batch {@code batchId}. */
    public static byte[] packet(long batchId, List<Entry> entries) {
        Messages.Builder messages = Messages.newBuilder().setBatchId(batchId);
        entries.forEach(entry -> messages.addMessages(entry.toByteString()));
        return Packet.newBuilder().setType(PacketType.MESSAGES).setBody(messages.build().toByteString()).build()
                .toByteArray();
    }

    private void columns(RowChange change, Row image, boolean after, RowData.Builder data) {
        List<String> key = change.primaryKey();
        List<String> changed = after && change.type() == ChangeType.UPDATE ? change.changedColumns() : null;
        for (Column column : image.schema().columns()) {
            Object value = image.get(column.index());
            CanalEntryProtos.Column.Builder built = CanalEntryProtos.Column.newBuilder()
                    .setIndex(column.index())
                    .setSqlType(CanalColumnText.sqlType(column, change.type()))
                    .setName(column.name())
                    .setIsKey(key.contains(column.name()))
                    // As Canal: every after column of an INSERT counts as updated, of an UPDATE the changed ones.
                    .setUpdated(after && (changed == null || changed.contains(column.name())))
                    .setIsNull(value == null)
                    .setMysqlType(MySqlTypeText.of(column).text());
            if (value != null) {
                built.setValue(text.value(column, value));
            }
            if (after) {
                data.addAfterColumns(built);
            } else {
                data.addBeforeColumns(built);
            }
        }
    }

    private static Header header(String schema, String table, EventType eventType, SourcePosition position,
                                 Instant timestamp) {
        Header.Builder header = Header.newBuilder().setVersion(1).setServerenCode("UTF-8")
                .setExecuteTime(timestamp.toEpochMilli()).setEventType(eventType)
                .setSchemaName(schema == null ? "" : schema).setTableName(table == null ? "" : table);
        if (position.file() != null) {
            header.setLogfileName(position.file());
        }
        if (position.offset() >= 0) {
            header.setLogfileOffset(position.offset());
        }
        if (position.gtid() != null) {
            header.setGtid(position.gtid());
        }
        return header.build();
    }
}
