package dev.canalboot.internal.binlog.decode;

import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.BinlogDecodeException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.canalboot.internal.binlog.event.Compression;
import dev.canalboot.internal.binlog.event.DdlStatements;
import dev.canalboot.internal.binlog.event.EventHeader;
import dev.canalboot.internal.binlog.event.EventType;
import dev.canalboot.internal.binlog.event.FormatDescriptionEvent;
import dev.canalboot.internal.binlog.event.GtidEvent;
import dev.canalboot.internal.binlog.event.HeartbeatEvent;
import dev.canalboot.internal.binlog.event.MariaDbGtidEvent;
import dev.canalboot.internal.binlog.event.QueryEvent;
import dev.canalboot.internal.binlog.event.RotateEvent;
import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.internal.binlog.event.TransactionPayloadEvent;
import dev.canalboot.internal.binlog.event.WireReads;
import dev.canalboot.internal.binlog.event.XidEvent;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;
import dev.canalboot.internal.binlog.value.ByteReader;
import dev.canalboot.internal.binlog.value.TableDecoder;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.source.SourceException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Turns the event stream of one replication connection into model events. Its state is exactly what the
 * stream defines: the current format description (checksum, post-header lengths), the table maps of the
 * current transaction/statement, the current binlog file name and GTID. One instance per connection; not
 * thread-safe.
 * <p>
 * Rows are handed to the sink as they are decoded, one rows event at a time: a transaction of any size
 * streams through without being held.
 */
public final class BinlogStreamDecoder {

    /** Receives what the stream means, in order. */
    public interface Sink {
        void onChange(ChangeEvent change);  // RowChange / SchemaChange / TransactionBoundary

        /**
         * After every event: where the stream stands (for resume). {@code gtid} = GTID of the current
         * transaction or null; {@code transactionEnd} = true right after a commit (XID, COMMIT query, or a
         * DDL's implicit commit).
         */
        void onPosition(String file, long nextPosition, String gtid, boolean transactionEnd);

        void onHeartbeat(String file, long position);

        /** Unknown or ignored event types, for metrics. */
        void onSkipped(int eventType);

        /**
         * Whether the rows of the next rows event may be handed on undecoded, to {@link #onRows}; asked once per
         * rows event.
         */
        default boolean deferRows() {
            return false;
        }

        /**
         * The rows of one event, counted and checked to fit the table but not decoded, when {@link #deferRows()}
         * said so. Their changes come in this place of the stream.
         */
        default void onRows(RowImages rows) {
            rows.decodeDetached(this::onChange);
        }
    }

    private static final int MAX_INNER_EVENT = 1 << 30;
    /** Header flag of events the server generates for a replica rather than reads from the file. */
    private static final int LOG_EVENT_ARTIFICIAL_F = 0x20;

    private final String sourceName;
    private final TableShapeResolver shapes;
    private final BinlogDecoderOptions options;
    private final Map<Long, CachedTable> tables = new HashMap<>();
    /** Row images copied off direct network buffers, reused from event to event (see {@link #rowBytes}). */
    private byte[] scratch = new byte[8192];
    private final CRC32 crc = new CRC32();

    private FormatDescriptionEvent format;
    private String file;
    private long position = 4;
    /**
     * Where the event being decoded starts in its file. Taken from the header's log position when the server
     * filled it in; MariaDB 11.4+ leaves it at 0 for events written through the transaction cache (unless
     * binlog_legacy_event_pos is on), and then the start is where the previous event ended.
     */
    private long eventStart = 4;
    private String gtid;
    private boolean inTransaction;
    private long timestampSeconds = -1;
    private Instant timestamp;
    /** Position reported for changes while inner events of a transaction payload are decoded, else -1. */
    private long payloadStart = -1;
    private long payloadEnd;
    private boolean payloadTransactionEnd;
    /** The event {@link #decode} is in: its type, header log position and length, for {@link #where}. */
    private int eventType;
    private long eventLogPosition;
    private int eventLength;

    private record CachedTable(byte[] signature, TableDecoder decoder) {
    }

    public BinlogStreamDecoder(String sourceName, TableShapeResolver shapes, BinlogDecoderOptions options) {
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.shapes = shapes;
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Sets the binlog file the stream starts in, for readers that have no rotate event (binlog files). */
    public void startFile(String fileName, long startPosition) {
        this.file = fileName;
        this.position = startPosition;
    }

    public String currentFile() {
        return file;
    }

    public long currentPosition() {
        return position;
    }

    /**
     * One event exactly as the server sends it after the 0x00 OK byte of a binlog network packet: 19-byte
     * header, body, and the 4-byte CRC32 trailer when checksums are on. Consumes {@code event}; does not
     * retain it.
     *
     * @throws BinlogDecodeException when the event is corrupt or unsupported; the message names the file,
     *                               position and event type
     */
    public void decode(ByteBuf event, Sink sink) {
        int start = event.readerIndex();
        int length = event.readableBytes();
        eventType = length > 4 ? event.getUnsignedByte(start + 4) : -1;
        eventLogPosition = length >= EventHeader.SIZE ? event.getUnsignedIntLE(start + 13) : -1;
        eventLength = length;
        try {
            decodeEvent(event.slice(start, length), sink);
        } catch (SinkFailure e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } catch (SourceException e) {
            if (e instanceof BinlogDecodeException) {
                throw located(where(), e);
            }
            // The schema history could not ask the server (connection lost, privileges): not a corrupt event.
            throw new SourceException(where() + ": " + e.getMessage(), e, e.isRetryable());
        } catch (RuntimeException e) {
            throw located(where(), e);
        } finally {
            event.readerIndex(start + length);
        }
    }

    /** The event being decoded, as errors name it: file, start position, type and source. */
    private String where() {
        String at = eventLogPosition > 0 ? Long.toString(eventLogPosition - eventLength) : Long.toString(position);
        return "binlog " + (file == null ? "?" : file) + ":" + at + " " + (eventType < 0 ? "event"
                : EventType.name(eventType)) + " from " + sourceName;
    }

    /** An error found decoding the event at {@code where}, which it names; anything unexpected is corrupt input. */
    public static BinlogDecodeException located(String where, RuntimeException e) {
        if (e instanceof BinlogDecodeException) {
            return new BinlogDecodeException(where + ": " + e.getMessage(), e);
        }
        return new BinlogDecodeException(where + ": corrupt event (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + ")", e);
    }

    private void decodeEvent(ByteBuf event, Sink sink) {
        int length = event.readableBytes();
        if (length < EventHeader.SIZE) {
            throw new BinlogDecodeException("event of " + length + " bytes is shorter than its header");
        }
        EventHeader header = EventHeader.decode(event);
        if (header.eventSize() != length) {
            throw new BinlogDecodeException("event header says " + header.eventSize() + " bytes but "
                    + length + " arrived");
        }
        eventStart = header.logPosition() != 0 ? header.startPosition() : position;
        if (header.type() == EventType.FORMAT_DESCRIPTION) {
            FormatDescriptionEvent fde = FormatDescriptionEvent.decode(event);
            if (fde.checksumOn()) {
                verifyChecksum(event, length);
            }
            format = fde;
            tables.clear();
            finish(header, sink, false);
            return;
        }
        boolean checksum = format == null ? options.checksumOn() : format.checksumOn();
        int bodyLength = length - EventHeader.SIZE - (checksum ? 4 : 0);
        if (bodyLength < 0) {
            throw new BinlogDecodeException("event too short for its checksum");
        }
        if (checksum) {
            verifyChecksum(event, length);
        }
        ByteBuf body = event.slice(EventHeader.SIZE, bodyLength);
        if (header.type() == EventType.HEARTBEAT || header.type() == EventType.HEARTBEAT_V2) {
            HeartbeatEvent hb = header.type() == EventType.HEARTBEAT ? HeartbeatEvent.decodeV1(body, header)
                    : HeartbeatEvent.decodeV2(body);
            try {
                sink.onHeartbeat(hb.file(), hb.position());
            } catch (RuntimeException e) {
                throw new SinkFailure(e);
            }
            return;
        }
        if (header.type() == EventType.ROTATE) {
            RotateEvent rotate = RotateEvent.decode(body.skipBytes(postHeaderLength(EventType.ROTATE, 8) - 8));
            file = rotate.nextFile();
            position = rotate.position();
            reportPosition(sink, false);
            return;
        }
        if (format == null) {
            throw new BinlogDecodeException("event before the format description event");
        }
        boolean transactionEnd = dispatch(header, body, sink);
        finish(header, sink, transactionEnd);
    }

    private void finish(EventHeader header, Sink sink, boolean transactionEnd) {
        if (header.logPosition() != 0) {
            position = header.logPosition();
        } else if (!isArtificial(header)) {
            position = eventStart + header.eventSize();
        }
        reportPosition(sink, transactionEnd);
    }

    /** End of the current event in its file (see {@link #eventStart}). */
    private long eventEnd(EventHeader header) {
        return header.logPosition() != 0 ? header.logPosition() : eventStart + header.eventSize();
    }

    /**
     * Events the server makes up for the replica and that stand nowhere in the file (the format description
     * re-sent at a dump start, events flagged LOG_EVENT_ARTIFICIAL_F): they do not move the position.
     */
    private static boolean isArtificial(EventHeader header) {
        return (header.flags() & LOG_EVENT_ARTIFICIAL_F) != 0 || header.type() == EventType.FORMAT_DESCRIPTION;
    }

    private void reportPosition(Sink sink, boolean transactionEnd) {
        try {
            sink.onPosition(file, position, gtid, transactionEnd);
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    private void verifyChecksum(ByteBuf event, int length) {
        if (!options.verifyChecksums()) {
            return;
        }
        crc.reset();
        crc.update(event.nioBuffer(0, length - 4));
        long expected = event.getUnsignedIntLE(length - 4);
        if (crc.getValue() != expected) {
            throw new BinlogDecodeException("CRC32 mismatch: event says " + Long.toHexString(expected)
                    + ", bytes give " + Long.toHexString(crc.getValue()));
        }
    }

    private int postHeaderLength(int type, int whenUnknown) {
        int length = format == null ? 0 : format.postHeaderLength(type);
        return length == 0 ? whenUnknown : length;
    }

    /** Decodes one event body; returns whether it ended a transaction. */
    private boolean dispatch(EventHeader header, ByteBuf body, Sink sink) {
        int type = header.type();
        switch (type) {
            case EventType.QUERY, EventType.MARIADB_QUERY_COMPRESSED -> {
                QueryEvent query = QueryEvent.decode(body, postHeaderLength(EventType.QUERY, 13),
                        type == EventType.MARIADB_QUERY_COMPRESSED);
                return query(header, query, sink);
            }
            case EventType.XID -> {
                body.skipBytes(format.postHeaderLength(type));
                XidEvent xid = XidEvent.decode(body);
                return commit(header, Long.toUnsignedString(xid.xid()), sink);
            }
            case EventType.XA_PREPARE -> {
                return commit(header, gtid, sink);
            }
            case EventType.TABLE_MAP -> {
                tableMap(body);
                return false;
            }
            case EventType.WRITE_ROWS_V1, EventType.WRITE_ROWS_V2, EventType.MARIADB_WRITE_ROWS_COMPRESSED_V1,
                 EventType.MARIADB_WRITE_ROWS_COMPRESSED -> rows(header, body, ChangeType.INSERT, false, sink);
            case EventType.UPDATE_ROWS_V1, EventType.UPDATE_ROWS_V2, EventType.MARIADB_UPDATE_ROWS_COMPRESSED_V1,
                 EventType.MARIADB_UPDATE_ROWS_COMPRESSED -> rows(header, body, ChangeType.UPDATE, false, sink);
            case EventType.PARTIAL_UPDATE_ROWS -> rows(header, body, ChangeType.UPDATE, true, sink);
            case EventType.DELETE_ROWS_V1, EventType.DELETE_ROWS_V2, EventType.MARIADB_DELETE_ROWS_COMPRESSED_V1,
                 EventType.MARIADB_DELETE_ROWS_COMPRESSED -> rows(header, body, ChangeType.DELETE, false, sink);
            case EventType.GTID, EventType.ANONYMOUS_GTID -> {
                gtid = GtidEvent.decode(body, type == EventType.ANONYMOUS_GTID).gtid();
            }
            case EventType.MARIADB_GTID -> {
                MariaDbGtidEvent event = MariaDbGtidEvent.decode(body, header.serverId());
                gtid = event.gtid();
                if (!event.standalone()) {
                    begin(header, sink);
                }
            }
            case EventType.TRANSACTION_PAYLOAD -> {
                return payload(header, body, sink);
            }
            case EventType.MARIADB_START_ENCRYPTION -> throw new BinlogDecodeException(
                    "the binlog is encrypted (encrypt_binlog=ON); encrypted binlogs are not supported");
            case EventType.INCIDENT -> throw new BinlogDecodeException("the server logged an incident (events"
                    + " may be lost, e.g. after a failed non-transactional statement); resynchronise the consumer");
            case EventType.STOP, EventType.ROWS_QUERY, EventType.MARIADB_ANNOTATE_ROWS, EventType.PREVIOUS_GTIDS,
                 EventType.MARIADB_GTID_LIST, EventType.MARIADB_BINLOG_CHECKPOINT -> {
                // carry nothing a listener sees
            }
            default -> {
                try {
                    sink.onSkipped(type);
                } catch (RuntimeException e) {
                    throw new SinkFailure(e);
                }
            }
        }
        return false;
    }

    private boolean query(EventHeader header, QueryEvent query, Sink sink) {
        switch (DdlStatements.kind(query.sql())) {
            case BEGIN -> {
                if (!inTransaction) {
                    begin(header, sink);
                }
                return false;
            }
            case COMMIT, ROLLBACK -> {
                // A logged ROLLBACK ends a transaction whose non-transactional changes did happen.
                return commit(header, gtid, sink);
            }
            case IGNORED -> {
                return false;
            }
            case DML -> throw new BinlogDecodeException("statement-based row change on schema " + query.schema()
                    + " cannot be decoded into rows; set binlog_format=ROW: " + abbreviate(query.sql()));
            case ACCOUNT -> {
                // GRANT, CREATE USER, ...: they commit implicitly but change no table, so no SchemaChange, and the
                // schema history is not asked (a REVOKE of this very user must not make its seed queries fail).
                inTransaction = false;
                return true;
            }
            default -> {
                List<String[]> names = DdlStatements.tables(query.sql());
                String schema = query.schema();
                String table = null;
                if (!names.isEmpty()) {
                    table = names.get(0)[1];
                    if (names.get(0)[0] != null) {
                        schema = names.get(0)[0];
                    }
                }
                for (String[] name : names) {
                    forget(name[0] != null ? name[0] : query.schema(), name[1]);
                }
                // A DDL may rename or recreate any table the cached decoders stand for: they are built again.
                tables.clear();
                TableDefinition[] definitions = null;
                if (shapes != null) {
                    shapes.streamAt(file, eventStart);
                    definitions = shapes.ddl(query.schema(), query.sql());
                }
                SchemaChange change = new SchemaChange(sourceName, schema, table, query.sql(),
                        new SourcePosition(file, eventStart, gtid), timestamp(header),
                        definitions == null ? null : definitions[0], definitions == null ? null : definitions[1]);
                emit(sink, change);
                inTransaction = false;
                return true; // DDL commits implicitly
            }
        }
    }

    private void forget(String schema, String table) {
        if (schema == null) {
            return;
        }
        for (Iterator<CachedTable> it = tables.values().iterator(); it.hasNext(); ) {
            TableDecoder decoder = it.next().decoder();
            if (decoder.schema().schema().equals(schema) && decoder.schema().table().equals(table)) {
                it.remove();
            }
        }
        if (shapes != null) {
            shapes.invalidate(schema, table);
        }
    }

    private void begin(EventHeader header, Sink sink) {
        inTransaction = true;
        TransactionBoundary boundary = new TransactionBoundary(sourceName, TransactionBoundary.Kind.BEGIN, gtid,
                new SourcePosition(file, changePosition(header), gtid), timestamp(header));
        emit(sink, boundary);
    }

    private boolean commit(EventHeader header, String transactionId, Sink sink) {
        inTransaction = false;
        long end = payloadStart >= 0 ? payloadEnd : eventEnd(header);
        TransactionBoundary boundary = new TransactionBoundary(sourceName, TransactionBoundary.Kind.COMMIT,
                transactionId, new SourcePosition(file, end, gtid), timestamp(header));
        emit(sink, boundary);
        return true;
    }

    private long changePosition(EventHeader header) {
        return payloadStart >= 0 ? payloadStart : eventStart;
    }

    private Instant timestamp(EventHeader header) {
        if (header.timestamp() != timestampSeconds) {
            timestampSeconds = header.timestamp();
            timestamp = Instant.ofEpochSecond(timestampSeconds);
        }
        return timestamp;
    }

    private void tableMap(ByteBuf body) {
        long tableId = postHeaderLength(EventType.TABLE_MAP, 8) == 6 ? body.readUnsignedIntLE()
                : WireReads.readUInt48LE(body);
        body.skipBytes(2); // flags
        CachedTable cached = tables.get(tableId);
        int length = body.readableBytes();
        if (cached != null && cached.signature().length == length
                && ByteBufUtil.equals(body, body.readerIndex(), Unpooled.wrappedBuffer(cached.signature()), 0,
                length)) {
            return; // same table, same shape: keep the built decoder
        }
        byte[] signature = ByteBufUtil.getBytes(body);
        TableMapEvent map = TableMapEvent.decode(tableId, body, format.isMariaDb());
        List<dev.canalboot.internal.binlog.ColumnShape> columns = null;
        boolean named = map.optional().columnNames().size() == map.columnCount();
        if (shapes != null) {
            shapes.streamAt(file, eventStart);
            if (!named) {
                columns = shapes.columns(map.schema(), map.table());
            }
        }
        TableDecoder decoder = TableDecoder.build(map, columns, options.zeroDates());
        if (named && shapes != null) {
            shapes.named(map, decoder.schema());
        }
        tables.put(tableId, new CachedTable(signature, decoder));
    }

    private void rows(EventHeader header, ByteBuf body, ChangeType changeType, boolean partial, Sink sink) {
        int type = header.type();
        boolean v2 = type == EventType.WRITE_ROWS_V2 || type == EventType.UPDATE_ROWS_V2
                || type == EventType.DELETE_ROWS_V2 || type == EventType.PARTIAL_UPDATE_ROWS
                || type == EventType.MARIADB_WRITE_ROWS_COMPRESSED || type == EventType.MARIADB_UPDATE_ROWS_COMPRESSED
                || type == EventType.MARIADB_DELETE_ROWS_COMPRESSED;
        boolean compressed = type >= EventType.MARIADB_WRITE_ROWS_COMPRESSED_V1
                && type <= EventType.MARIADB_DELETE_ROWS_COMPRESSED;
        long tableId = format.postHeaderLength(type) == 6 ? body.readUnsignedIntLE() : WireReads.readUInt48LE(body);
        body.skipBytes(2); // flags
        if (v2) {
            int extra = body.readUnsignedShortLE();
            if (extra < 2) {
                throw new BinlogDecodeException("rows event extra data length " + extra);
            }
            body.skipBytes(WireReads.checkLength(extra - 2, body, "rows event extra data"));
        }
        CachedTable cached = tables.get(tableId);
        if (cached == null) {
            throw new BinlogDecodeException("rows event for table id " + tableId + " without a table map");
        }
        TableDecoder table = cached.decoder();
        long columnCount = WireReads.readLenenc(body);
        if (columnCount != table.columnCount()) {
            throw new BinlogDecodeException("rows event has " + columnCount + " columns but the table map of "
                    + table.schema().qualifiedName() + " has " + table.columnCount());
        }
        int bitmapBytes = (table.columnCount() + 7) >>> 3;
        byte[] before = WireReads.readBytes(body, bitmapBytes, "column bitmap");
        int beforeCount = bitCount(before, table.columnCount());
        byte[] after = before;
        int afterCount = beforeCount;
        if (changeType == ChangeType.UPDATE) {
            after = WireReads.readBytes(body, bitmapBytes, "column bitmap");
            afterCount = bitCount(after, table.columnCount());
        }
        if (beforeCount == 0 || afterCount == 0) {
            throw new BinlogDecodeException("rows event for " + table.schema().qualifiedName()
                    + " has a row image without columns");
        }
        ByteReader rows = compressed ? ByteReader.of(Compression.inflateMariaDb(body)) : rowBytes(body);
        RowImages images = new RowImages(sourceName, table, changeType, partial, before, beforeCount, after,
                afterCount, rows, new SourcePosition(file, changePosition(header), gtid), timestamp(header));
        if (images.detachable() && sink.deferRows()) {
            RowImages detached = images.detach(where());
            try {
                sink.onRows(detached);
            } catch (RuntimeException e) {
                throw new SinkFailure(e);
            }
        } else {
            images.decode(change -> emit(sink, change));
        }
    }

    private static int bitCount(byte[] bitmap, int bits) {
        int count = 0;
        for (int i = 0; i < bits; i++) {
            count += (bitmap[i >>> 3] >>> (i & 7)) & 1;
        }
        return count;
    }

    /**
     * The row images of an event as an array: the buffer's own array when it has one, else copied into a
     * scratch array kept for the next event (values never refer to it once decoded).
     */
    private ByteReader rowBytes(ByteBuf body) {
        int length = body.readableBytes();
        if (!body.hasArray() && scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        return ByteReader.of(body, scratch);
    }

    /** Decodes the inner events of a compressed transaction one at a time, streaming the decompression. */
    private boolean payload(EventHeader header, ByteBuf body, Sink sink) {
        // The fields start right after the common header, whatever post-header length the FDE lists.
        TransactionPayloadEvent payload = TransactionPayloadEvent.decode(body);
        payloadStart = eventStart;
        payloadEnd = eventEnd(header);
        payloadTransactionEnd = false;
        long remaining = payload.uncompressedSize();
        try (InputStream in = payload.compression() == TransactionPayloadEvent.ZSTD
                ? new ZstdInputStreamNoFinalizer(new ByteBufInputStream(payload.payload()))
                : new ByteBufInputStream(payload.payload())) {
            byte[] headerBytes = new byte[EventHeader.SIZE];
            while (remaining > 0) {
                readFully(in, headerBytes, EventHeader.SIZE);
                long size = Integer.toUnsignedLong(Unpooled.wrappedBuffer(headerBytes).getIntLE(9));
                if (size < EventHeader.SIZE || size > remaining || size > MAX_INNER_EVENT) {
                    throw new BinlogDecodeException("inner event of " + size + " bytes in a transaction payload"
                            + " with " + remaining + " bytes left");
                }
                // readNBytes grows with the data that really arrives: a corrupt size cannot allocate ahead.
                byte[] rest = in.readNBytes((int) size - EventHeader.SIZE);
                if (rest.length != size - EventHeader.SIZE) {
                    throw new BinlogDecodeException("transaction payload ends inside an inner event");
                }
                byte[] inner = new byte[(int) size];
                System.arraycopy(headerBytes, 0, inner, 0, EventHeader.SIZE);
                System.arraycopy(rest, 0, inner, EventHeader.SIZE, rest.length);
                remaining -= size;
                innerEvent(Unpooled.wrappedBuffer(inner), sink);
            }
        } catch (IOException e) {
            throw new BinlogDecodeException("corrupt compressed transaction payload: " + e.getMessage(), e);
        } finally {
            payloadStart = -1;
        }
        return payloadTransactionEnd;
    }

    /** An event inside a transaction payload: no checksum, no position of its own. */
    private void innerEvent(ByteBuf event, Sink sink) {
        EventHeader header = EventHeader.decode(event);
        ByteBuf body = event.slice(EventHeader.SIZE, event.readableBytes());
        if (header.type() == EventType.TRANSACTION_PAYLOAD) {
            throw new BinlogDecodeException("nested transaction payload");
        }
        if (dispatch(header, body, sink)) {
            payloadTransactionEnd = true;
        }
    }

    private static void readFully(InputStream in, byte[] into, int length) throws IOException {
        int n = 0;
        while (n < length) {
            int read = in.read(into, n, length - n);
            if (read < 0) {
                throw new BinlogDecodeException("transaction payload ends " + (length - n) + " bytes early");
            }
            n += read;
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 200 ? sql : sql.substring(0, 200) + "...";
    }

    /** Hands a change to the sink; what the sink throws passes through {@link #decode} unwrapped. */
    private static void emit(Sink sink, ChangeEvent change) {
        try {
            sink.onChange(change);
        } catch (RuntimeException e) {
            throw new SinkFailure(e);
        }
    }

    private static final class SinkFailure extends RuntimeException {
        SinkFailure(RuntimeException cause) {
            super(cause);
        }
    }
}
