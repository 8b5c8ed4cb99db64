package dev.canalboot.internal.binlog.decode;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.event.EventType;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.testsupport.CollectingSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stream behaviour on events built from the protocol description. */
class BinlogStreamDecoderTest {

    private static final long TIMESTAMP = 1_700_000_000L;
    private long nextPosition = 4;

    private ByteBuf event(int type, ByteBuf body, boolean checksum, long logPosition, int flags) {
        int size = 19 + body.readableBytes() + (checksum ? 4 : 0);
        ByteBuf e = Unpooled.buffer();
        e.writeIntLE((int) TIMESTAMP).writeByte(type).writeIntLE(1).writeIntLE(size).writeIntLE((int) logPosition)
                .writeShortLE(flags).writeBytes(body);
        if (checksum) {
            CRC32 crc = new CRC32();
            crc.update(e.nioBuffer(0, e.readableBytes()));
            e.writeIntLE((int) crc.getValue());
        }
        return e;
    }

    /** An event at the next file position, with a CRC32 trailer. */
    private ByteBuf event(int type, ByteBuf body) {
        int size = 19 + body.readableBytes() + 4;
        nextPosition += size;
        return event(type, body, true, nextPosition, 0);
    }

    private ByteBuf formatDescription() {
        ByteBuf body = Unpooled.buffer();
        body.writeShortLE(4);
        byte[] version = new byte[50];
        byte[] v = "8.0.31".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, version, 0, v.length);
        body.writeBytes(version).writeIntLE((int) TIMESTAMP).writeByte(19);
        byte[] postHeaders = new byte[41];
        postHeaders[EventType.QUERY - 1] = 13;
        postHeaders[EventType.ROTATE - 1] = 8;
        postHeaders[EventType.TABLE_MAP - 1] = 8;
        postHeaders[EventType.WRITE_ROWS_V2 - 1] = 10;
        body.writeBytes(postHeaders).writeByte(1); // CRC32
        return event(EventType.FORMAT_DESCRIPTION, body);
    }

    private static ByteBuf query(String schema, String sql) {
        ByteBuf body = Unpooled.buffer();
        body.writeIntLE(7).writeIntLE(0).writeByte(schema.length()).writeShortLE(0).writeShortLE(0);
        body.writeBytes(schema.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        body.writeBytes(sql.getBytes(StandardCharsets.UTF_8));
        return body;
    }

    private static ByteBuf tableMap(long tableId, boolean withNames) {
        ByteBuf body = Unpooled.buffer();
        body.writeIntLE((int) tableId).writeShortLE(0).writeShortLE(1);
        body.writeByte(4).writeBytes("shop".getBytes(StandardCharsets.UTF_8)).writeByte(0);
        body.writeByte(6).writeBytes("orders".getBytes(StandardCharsets.UTF_8)).writeByte(0);
        body.writeByte(2).writeByte(MysqlType.LONG).writeByte(MysqlType.VARCHAR);
        body.writeByte(2).writeShortLE(40); // metadata: VARCHAR max length 40
        body.writeByte(0b10); // nullable: second column
        body.writeByte(1).writeByte(1).writeByte(0x80); // SIGNEDNESS: first numeric column unsigned
        body.writeByte(2).writeByte(1).writeByte(45); // DEFAULT_CHARSET utf8mb4_general_ci
        if (withNames) {
            body.writeByte(4).writeByte(1 + 2 + 1 + 4).writeByte(2).writeBytes("id".getBytes(StandardCharsets.UTF_8))
                    .writeByte(4).writeBytes("name".getBytes(StandardCharsets.UTF_8));
            body.writeByte(8).writeByte(1).writeByte(0); // SIMPLE_PRIMARY_KEY: column 0
        }
        return body;
    }

    private static ByteBuf writeRows(long tableId, int columnCount, int id, String name) {
        ByteBuf body = Unpooled.buffer();
        body.writeIntLE((int) tableId).writeShortLE(0).writeShortLE(1); // STMT_END_F
        body.writeShortLE(2); // no extra data
        body.writeByte(columnCount).writeByte(0b11);
        body.writeByte(name == null ? 0b10 : 0); // null bitmap
        body.writeIntLE(id);
        if (name != null) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            body.writeByte(b.length).writeBytes(b);
        }
        return body;
    }

    private BinlogStreamDecoder decoder(TableShapeResolver shapes) {
        BinlogStreamDecoder decoder = new BinlogStreamDecoder("unit", shapes, BinlogDecoderOptions.defaults()
                .withChecksumOn(true));
        ByteBuf rotate = Unpooled.buffer().writeLongLE(4).writeBytes("binlog.000007".getBytes(StandardCharsets.UTF_8));
        decoder.decode(event(EventType.ROTATE, rotate, true, 0, 0x20), new CollectingSink());
        return decoder;
    }

    @Test
    void fakeRotateBeforeTheFormatDescriptionSetsFileAndPosition() {
        CollectingSink sink = new CollectingSink();
        BinlogStreamDecoder decoder = new BinlogStreamDecoder("unit", null, BinlogDecoderOptions.defaults()
                .withChecksumOn(true));
        ByteBuf rotate = Unpooled.buffer().writeLongLE(4).writeBytes("binlog.000007".getBytes(StandardCharsets.UTF_8));
        decoder.decode(event(EventType.ROTATE, rotate, true, 0, 0x20), sink);
        decoder.decode(formatDescription(), sink);
        assertThat(sink.positions).first().isEqualTo(new CollectingSink.Position("binlog.000007", 4, null, false));
        assertThat(decoder.currentFile()).isEqualTo("binlog.000007");
        assertThat(decoder.currentPosition()).isEqualTo(nextPosition);
    }

    @Test
    void transactionOfRowsWithFullMetadata() {
        CollectingSink sink = new CollectingSink();
        BinlogStreamDecoder decoder = decoder(null);
        decoder.decode(formatDescription(), sink);
        decoder.decode(event(EventType.QUERY, query("shop", "BEGIN")), sink);
        decoder.decode(event(EventType.TABLE_MAP, tableMap(42, true)), sink);
        long rowsStart = nextPosition;
        decoder.decode(event(EventType.WRITE_ROWS_V2, writeRows(42, 2, -1, "Zoë")), sink);
        decoder.decode(event(EventType.XID, Unpooled.buffer().writeLongLE(99)), sink);

        assertThat(sink.changes).hasSize(3);
        assertThat(sink.changes.get(0)).isInstanceOfSatisfying(TransactionBoundary.class,
                b -> assertThat(b.kind()).isEqualTo(TransactionBoundary.Kind.BEGIN));
        RowChange row = (RowChange) sink.changes.get(1);
        assertThat(row.type()).isEqualTo(ChangeType.INSERT);
        assertThat(row.qualifiedTable()).isEqualTo("shop.orders");
        assertThat(row.after().getLong("id")).isEqualTo(4294967295L); // unsigned INT
        assertThat(row.after().getString("name")).isEqualTo("Zoë");
        assertThat(row.primaryKey()).containsExactly("id");
        assertThat(row.position()).isEqualTo(new dev.canalboot.model.SourcePosition("binlog.000007", rowsStart, null));
        assertThat(row.timestamp().getEpochSecond()).isEqualTo(TIMESTAMP);
        TransactionBoundary commit = (TransactionBoundary) sink.changes.get(2);
        assertThat(commit.kind()).isEqualTo(TransactionBoundary.Kind.COMMIT);
        assertThat(commit.transactionId()).isEqualTo("99");
        assertThat(commit.position().offset()).isEqualTo(nextPosition);
        assertThat(sink.positions).last().isEqualTo(new CollectingSink.Position("binlog.000007", nextPosition, null,
                true));
    }

    /** An event at the next file position whose header leaves log_pos at 0, as MariaDB 11.4+ writes them. */
    private ByteBuf eventWithoutLogPosition(int type, ByteBuf body) {
        int size = 19 + body.readableBytes() + 4;
        nextPosition += size;
        return event(type, body, true, 0, 0);
    }

    @Test
    void eventsWithoutLogPositionArePlacedByTheStream() {
        CollectingSink sink = new CollectingSink();
        BinlogStreamDecoder decoder = decoder(null);
        decoder.decode(formatDescription(), sink);
        long beginStart = nextPosition;
        decoder.decode(eventWithoutLogPosition(EventType.QUERY, query("shop", "BEGIN")), sink);
        decoder.decode(eventWithoutLogPosition(EventType.TABLE_MAP, tableMap(42, true)), sink);
        long rowsStart = nextPosition;
        decoder.decode(eventWithoutLogPosition(EventType.WRITE_ROWS_V2, writeRows(42, 2, 7, "a")), sink);
        long secondRowsStart = nextPosition;
        decoder.decode(eventWithoutLogPosition(EventType.WRITE_ROWS_V2, writeRows(42, 2, 8, "b")), sink);
        decoder.decode(eventWithoutLogPosition(EventType.XID, Unpooled.buffer().writeLongLE(5)), sink);

        assertThat(sink.changes).hasSize(4);
        assertThat(sink.changes.get(0).position().offset()).isEqualTo(beginStart);
        assertThat(sink.changes.get(1).position().offset()).isEqualTo(rowsStart);
        assertThat(sink.changes.get(2).position().offset()).isEqualTo(secondRowsStart);
        assertThat(sink.changes.get(3).position().offset()).isEqualTo(nextPosition);
        assertThat(sink.positions).last().isEqualTo(new CollectingSink.Position("binlog.000007", nextPosition, null,
                true));
        assertThat(decoder.currentPosition()).isEqualTo(nextPosition);
    }

    @Test
    void artificialEventsWithoutLogPositionDoNotMoveThePosition() {
        CollectingSink sink = new CollectingSink();
        BinlogStreamDecoder decoder = decoder(null);
        decoder.decode(formatDescription(), sink);
        long before = decoder.currentPosition();
        // An artificial event (LOG_EVENT_ARTIFICIAL_F) that is not in the file: the position stays.
        decoder.decode(event(EventType.QUERY, query("shop", "BEGIN"), true, 0, 0x20), sink);
        assertThat(decoder.currentPosition()).isEqualTo(before);
    }

    @Test
    void ddlIsASchemaChangeThatInvalidatesTheShape() {
        CollectingSink sink = new CollectingSink();
        RecordingShapes shapes = new RecordingShapes(List.of());
        BinlogStreamDecoder decoder = decoder(shapes);
        decoder.decode(formatDescription(), sink);
        decoder.decode(event(EventType.QUERY, query("shop", "ALTER TABLE orders ADD COLUMN x INT")), sink);
        assertThat(sink.changes).singleElement().isInstanceOfSatisfying(SchemaChange.class, s -> {
            assertThat(s.schema()).isEqualTo("shop");
            assertThat(s.table()).isEqualTo("orders");
        });
        assertThat(shapes.invalidated).containsExactly("shop.orders");
        assertThat(sink.positions).last().extracting(CollectingSink.Position::transactionEnd).isEqualTo(true);
    }

    @Test
    void accountStatementsEndTheirTransactionButAreNoSchemaChange() {
        CollectingSink sink = new CollectingSink();
        RecordingShapes shapes = new RecordingShapes(List.of());
        BinlogStreamDecoder decoder = decoder(shapes);
        decoder.decode(formatDescription(), sink);
        for (String sql : List.of("GRANT SELECT ON shop.* TO 'reader'@'%'", "REVOKE REPLICATION SLAVE ON *.* FROM 'cdc'",
                "CREATE USER 'x'@'%' IDENTIFIED BY 'p'", "DROP ROLE r", "RENAME USER a TO b", "ALTER USER x LOCK",
                "CREATE OR REPLACE USER y")) {
            decoder.decode(event(EventType.QUERY, query("shop", sql)), sink);
            assertThat(sink.positions).as(sql).last().extracting(CollectingSink.Position::transactionEnd)
                    .isEqualTo(true);
        }
        assertThat(sink.changes).as("no SchemaChange for account statements").isEmpty();
        assertThat(shapes.invalidated).isEmpty();
    }

    @Test
    void minimalMetadataWithAShapeThatNoLongerFitsIsAnError() {
        RecordingShapes shapes = new RecordingShapes(List.of(new ColumnShape("id", "int", "int", null, true)));
        BinlogStreamDecoder decoder = decoder(shapes);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        assertThatThrownBy(() -> decoder.decode(event(EventType.TABLE_MAP, tableMap(42, false)), sink))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("binlog.000007:")
                .hasMessageContaining("TABLE_MAP")
                .hasMessageContaining("2 columns but the table now has 1");
    }

    @Test
    void aShapeLookupThatCannotReachTheServerIsRetryableNotACorruptEvent() {
        TableShapeResolver unreachable = new TableShapeResolver() {
            @Override
            public List<ColumnShape> columns(String schema, String table) {
                throw new dev.canalboot.source.SourceException("connection refused", null, true);
            }

            @Override
            public void invalidate(String schema, String table) {
            }
        };
        BinlogStreamDecoder decoder = decoder(unreachable);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        assertThatThrownBy(() -> decoder.decode(event(EventType.TABLE_MAP, tableMap(42, false)), sink))
                .isInstanceOfSatisfying(dev.canalboot.source.SourceException.class,
                        e -> assertThat(e.isRetryable()).isTrue())
                .isNotInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("TABLE_MAP").hasMessageContaining("connection refused")
                .hasMessageNotContaining("corrupt");
    }

    @Test
    void minimalMetadataWithAMatchingShapeNamesTheColumns() {
        RecordingShapes shapes = new RecordingShapes(List.of(new ColumnShape("id", "int", "int unsigned", null, true),
                new ColumnShape("name", "varchar", "varchar(10)", "utf8mb4", false)));
        BinlogStreamDecoder decoder = decoder(shapes);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        decoder.decode(event(EventType.TABLE_MAP, tableMap(42, false)), sink);
        decoder.decode(event(EventType.WRITE_ROWS_V2, writeRows(42, 2, 5, null)), sink);
        RowChange row = (RowChange) sink.changes.get(0);
        assertThat(row.after().toMap()).containsEntry("id", 5L).containsEntry("name", null);
        assertThat(row.primaryKey()).containsExactly("id");
    }

    @Test
    void rowsWithADifferentColumnCountThanTheTableMapAreAnError() {
        BinlogStreamDecoder decoder = decoder(null);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        decoder.decode(event(EventType.TABLE_MAP, tableMap(42, true)), sink);
        assertThatThrownBy(() -> decoder.decode(event(EventType.WRITE_ROWS_V2, writeRows(42, 3, 5, "x")), sink))
                .isInstanceOf(BinlogDecodeException.class).hasMessageContaining("3 columns");
    }

    @Test
    void checksumMismatchNamesThePosition() {
        BinlogStreamDecoder decoder = decoder(null);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        long at = nextPosition;
        ByteBuf e = event(EventType.QUERY, query("shop", "BEGIN"));
        e.setByte(e.writerIndex() - 1, e.getByte(e.writerIndex() - 1) ^ 1);
        assertThatThrownBy(() -> decoder.decode(e, sink)).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("binlog.000007:" + at).hasMessageContaining("CRC32");
    }

    @Test
    void heartbeatsV1AndV2() {
        BinlogStreamDecoder decoder = decoder(null);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        decoder.decode(event(EventType.HEARTBEAT, Unpooled.wrappedBuffer("binlog.000007".getBytes(
                StandardCharsets.UTF_8)), true, 1234, 0), sink);
        ByteBuf v2 = Unpooled.buffer();
        v2.writeByte(1).writeByte(13).writeBytes("binlog.000008".getBytes(StandardCharsets.UTF_8));
        v2.writeByte(2).writeByte(9).writeByte(0xfe).writeLongLE(5_000_000_000L);
        v2.writeByte(0);
        decoder.decode(event(EventType.HEARTBEAT_V2, v2, true, 0, 0), sink);
        assertThat(sink.heartbeats).containsExactly("binlog.000007:1234", "binlog.000008:5000000000");
    }

    @Test
    void unknownEventsAreSkippedAndReported() {
        BinlogStreamDecoder decoder = decoder(null);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        decoder.decode(event(99, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})), sink);
        assertThat(sink.skipped).containsExactly(99);
        assertThat(sink.positions).last().extracting(CollectingSink.Position::position).isEqualTo(nextPosition);
    }

    @Test
    void encryptedBinlogsAndStatementBasedRowsAreRefused() {
        BinlogStreamDecoder decoder = decoder(null);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        assertThatThrownBy(() -> decoder.decode(event(EventType.MARIADB_START_ENCRYPTION,
                Unpooled.wrappedBuffer(new byte[17])), sink)).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("encrypted");
        assertThatThrownBy(() -> decoder.decode(event(EventType.QUERY, query("shop", "INSERT INTO t VALUES (1)")),
                sink)).isInstanceOf(BinlogDecodeException.class).hasMessageContaining("binlog_format=ROW");
    }

    @Test
    void whatTheSinkThrowsPassesThroughUnchanged() {
        BinlogStreamDecoder decoder = decoder(null);
        decoder.decode(formatDescription(), new CollectingSink());
        IllegalStateException failure = new IllegalStateException("listener failed");
        CollectingSink throwing = new CollectingSink() {
            @Override
            public void onChange(dev.canalboot.model.ChangeEvent change) {
                throw failure;
            }
        };
        assertThatThrownBy(() -> decoder.decode(event(EventType.QUERY, query("shop", "BEGIN")), throwing))
                .isSameAs(failure);
    }

    @Test
    void aTruncatedEventIsADecodeError() {
        BinlogStreamDecoder decoder = decoder(null);
        CollectingSink sink = new CollectingSink();
        decoder.decode(formatDescription(), sink);
        ByteBuf e = event(EventType.QUERY, query("shop", "BEGIN"));
        assertThatThrownBy(() -> decoder.decode(e.slice(0, 30), sink)).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("arrived");
    }

    private static final class RecordingShapes implements TableShapeResolver {
        private final List<ColumnShape> columns;
        final List<String> invalidated = new java.util.ArrayList<>();

        RecordingShapes(List<ColumnShape> columns) {
            this.columns = columns;
        }

        @Override
        public List<ColumnShape> columns(String schema, String table) {
            return columns;
        }

        @Override
        public void invalidate(String schema, String table) {
            invalidated.add(schema + "." + table);
        }
    }
}
