package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.decode.BinlogStreamDecoder;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test double of the decoder: reads only event headers and the few bodies that carry positions (rotate,
 * format description, GTID, XID, query, table map). Each rows event becomes ONE RowChange whose single BLOB
 * column holds a copy of the raw event, so memory use follows the stream like the real decoder's does.
 */
final class HeaderDecoder implements EventDecoder {

    static final EventDecoder.Factory FACTORY = (name, shapes, options) -> new HeaderDecoder(name, options.checksumOn());

    private static final List<Column> EVENT_COLUMN = List.of(
            new Column("event", 0, ColumnType.BLOB, false, 0, 0, null, false, null));

    private final String source;
    private boolean checksum;
    private String file;
    private String gtid;
    private final Map<Long, TableSchema> tables = new HashMap<>();

    HeaderDecoder(String source, boolean checksum) {
        this.source = source;
        this.checksum = checksum;
    }

    @Override
    public void decode(ByteBuf event, BinlogStreamDecoder.Sink sink) {
        int at = event.readerIndex();
        Instant time = Instant.ofEpochSecond(event.getUnsignedIntLE(at));
        int type = event.getUnsignedByte(at + 4);
        long serverId = event.getUnsignedIntLE(at + 5);
        long nextPosition = event.getUnsignedIntLE(at + 13);
        int body = at + 19;
        int end = event.writerIndex() - (checksum ? 4 : 0);
        boolean txEnd = false;
        switch (type) {
            case 4 -> { // ROTATE
                nextPosition = event.getLongLE(body);
                file = event.toString(body + 8, end - body - 8, StandardCharsets.UTF_8);
            }
            case 15 -> { // FORMAT_DESCRIPTION: checksum algorithm in the byte before the CRC
                checksum = event.getByte(event.writerIndex() - 5) == 1;
            }
            case 33 -> { // MySQL GTID
                long msb = event.getLong(body + 1);
                long lsb = event.getLong(body + 9);
                gtid = new UUID(msb, lsb) + ":" + event.getLongLE(body + 17);
                sink.onChange(new TransactionBoundary(source, TransactionBoundary.Kind.BEGIN, gtid,
                        new SourcePosition(file, nextPosition, gtid), time));
            }
            case 162 -> { // MariaDB GTID
                gtid = event.getUnsignedIntLE(body + 8) + "-" + serverId + "-" + event.getLongLE(body);
                sink.onChange(new TransactionBoundary(source, TransactionBoundary.Kind.BEGIN, gtid,
                        new SourcePosition(file, nextPosition, gtid), time));
            }
            case 16 -> { // XID
                sink.onChange(new TransactionBoundary(source, TransactionBoundary.Kind.COMMIT, gtid,
                        new SourcePosition(file, nextPosition, gtid), time));
                txEnd = true;
            }
            case 2 -> { // QUERY
                int schemaLength = event.getUnsignedByte(body + 8);
                int statusLength = event.getUnsignedShortLE(body + 11);
                int schemaAt = body + 13 + statusLength;
                String schema = event.toString(schemaAt, schemaLength, StandardCharsets.UTF_8);
                int sqlAt = schemaAt + schemaLength + 1;
                String sql = event.toString(sqlAt, end - sqlAt, StandardCharsets.UTF_8);
                if (sql.equals("COMMIT")) {
                    sink.onChange(new TransactionBoundary(source, TransactionBoundary.Kind.COMMIT, gtid,
                            new SourcePosition(file, nextPosition, gtid), time));
                    txEnd = true;
                } else if (!sql.equals("BEGIN")) {
                    sink.onChange(new SchemaChange(source, schema, null, sql, new SourcePosition(file, nextPosition, gtid), time));
                    txEnd = true;
                }
            }
            case 19 -> { // TABLE_MAP
                long tableId = event.getUnsignedIntLE(body) | ((long) event.getUnsignedShortLE(body + 4) << 32);
                int schemaLength = event.getUnsignedByte(body + 8);
                String schema = event.toString(body + 9, schemaLength, StandardCharsets.UTF_8);
                int tableAt = body + 9 + schemaLength + 1;
                String table = event.toString(tableAt + 1, event.getUnsignedByte(tableAt), StandardCharsets.UTF_8);
                tables.put(tableId, new TableSchema(schema, table, EVENT_COLUMN));
            }
            case 30, 31, 32, 23, 24, 25 -> { // WRITE/UPDATE/DELETE rows, v2 and v1
                long tableId = event.getUnsignedIntLE(body) | ((long) event.getUnsignedShortLE(body + 4) << 32);
                TableSchema schema = tables.get(tableId);
                ChangeType change = type == 30 || type == 23 ? ChangeType.INSERT
                        : type == 31 || type == 24 ? ChangeType.UPDATE : ChangeType.DELETE;
                Row row = new Row(schema, new Object[]{ByteBufUtil.getBytes(event)});
                sink.onChange(new RowChange(source, schema, change, change == ChangeType.INSERT ? null : row,
                        change == ChangeType.DELETE ? null : row, new SourcePosition(file, nextPosition, gtid), time));
            }
            case 27 -> { // HEARTBEAT
                sink.onHeartbeat(file, nextPosition);
                return;
            }
            default -> sink.onSkipped(type);
        }
        if (nextPosition > 0) {
            sink.onPosition(file, nextPosition, gtid, txEnd);
        }
        if (txEnd) {
            gtid = null;
        }
    }
}
