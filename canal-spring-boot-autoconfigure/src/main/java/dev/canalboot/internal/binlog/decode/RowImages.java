package dev.canalboot.internal.binlog.decode;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.value.ByteReader;
import dev.canalboot.internal.binlog.value.TableDecoder;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;

import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The row images of one rows event and all it takes to decode them into {@link RowChange}s: decoded at once on
 * the connection's thread, or {@linkplain #detach handed on} undecoded for the consumer to decode (see
 * {@link dev.canalboot.binlog.RowDecoding}). A detached instance owns its bytes and is immutable; decoding it twice gives equal rows.
 */
public final class RowImages {

    private final String source;
    private final TableDecoder table;
    private final ChangeType type;
    private final boolean partial;
    private final byte[] beforeColumns;
    private final int beforeCount;
    private final byte[] afterColumns;
    private final int afterCount;
    /** The images to decode at once; null when detached. */
    private final ByteReader images;
    private final SourcePosition position;
    private final Instant timestamp;
    /** Where the event stands, for errors found when a detached instance is decoded; null until detached. */
    private final String where;
    /**
     * A detached instance's own copy of the images, and where each of its rows starts in it (then where they end):
     * the first {@code rowCount + 1} entries of {@code rowStarts}.
     */
    private final byte[] bytes;
    private final int[] rowStarts;
    private final int rowCount;

    RowImages(String source, TableDecoder table, ChangeType type, boolean partial, byte[] beforeColumns,
              int beforeCount, byte[] afterColumns, int afterCount, ByteReader images, SourcePosition position,
              Instant timestamp) {
        this(source, table, type, partial, beforeColumns, beforeCount, afterColumns, afterCount, images, position,
                timestamp, null, null, null, 0);
    }

    private RowImages(String source, TableDecoder table, ChangeType type, boolean partial, byte[] beforeColumns,
                      int beforeCount, byte[] afterColumns, int afterCount, ByteReader images,
                      SourcePosition position, Instant timestamp, String where, byte[] bytes, int[] rowStarts,
                      int rowCount) {
        this.source = source;
        this.table = table;
        this.type = type;
        this.partial = partial;
        this.beforeColumns = beforeColumns;
        this.beforeCount = beforeCount;
        this.afterColumns = afterColumns;
        this.afterCount = afterCount;
        this.images = images;
        this.position = position;
        this.timestamp = timestamp;
        this.where = where;
        this.bytes = bytes;
        this.rowStarts = rowStarts;
        this.rowCount = rowCount;
    }

    /**
     * Whether the images can be handed on undecoded: not those of a partial JSON update, whose after images
     * (value options, JSON diffs) {@link TableDecoder#skipImage} does not step over.
     */
    public boolean detachable() {
        return !partial;
    }

    /**
     * A copy that owns its bytes, with the start of every row found: each image is stepped over, so a row that
     * does not fit the table fails here, on the connection's thread, as an eager decode would.
     *
     * @param where the event's place in the binlog, for the errors the later decoding may find
     */
    public RowImages detach(String where) {
        byte[] copy = images.copyRemaining();
        ByteReader scan = ByteReader.of(copy);
        int[] starts = null;
        int rows = 0;
        while (scan.hasRemaining()) {
            int start = copy.length - scan.remaining();
            table.skipImage(scan, beforeColumns, beforeCount);
            if (type == ChangeType.UPDATE) {
                table.skipImage(scan, afterColumns, afterCount);
            }
            if (starts == null) {
                // Sized from the first row: rows of one event are mostly alike, so the array rarely grows (growing
                // from 16 was a tenth of what a narrow row allocates when the consumer decodes it)
                int first = copy.length - scan.remaining();
                starts = new int[copy.length / Math.max(1, first) + 2];
            } else if (rows + 1 == starts.length) {
                starts = Arrays.copyOf(starts, starts.length * 2);
            }
            starts[rows++] = start;
        }
        if (starts == null) {
            starts = new int[1];
        }
        starts[rows] = copy.length;
        return new RowImages(source, table, type, false, beforeColumns, beforeCount, afterColumns, afterCount, null,
                position, timestamp, where, copy, starts, rows);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of a detached instance. */
    public RowImages slice(int from, int to) {
        return new RowImages(source, table, type, false, beforeColumns, beforeCount, afterColumns, afterCount, null,
                position, timestamp, where, bytes, Arrays.copyOfRange(rowStarts, from, to + 1), to - from);
    }

    /** Rows in a detached instance. */
    public int rows() {
        return rowCount;
    }

    public SourcePosition position() {
        return position;
    }

    public Instant timestamp() {
        return timestamp;
    }

    /** Decodes the images in order, handing each row change to {@code out}. */
    public void decode(Consumer<RowChange> out) {
        ByteReader in = bytes == null ? images : new ByteReader(bytes, rowStarts[0], rowStarts[rowCount]);
        Object[] beforeJson = partial ? new Object[table.columnCount()] : null;
        int decoded = 0;
        while (in.hasRemaining()) {
            Row beforeRow = null;
            Row afterRow = null;
            if (type == ChangeType.INSERT) {
                afterRow = new Row(table.schema(), table.decodeImage(in, beforeColumns, beforeCount, null));
            } else if (type == ChangeType.DELETE) {
                beforeRow = new Row(table.schema(), table.decodeImage(in, beforeColumns, beforeCount, null));
            } else {
                beforeRow = new Row(table.schema(), table.decodeImage(in, beforeColumns, beforeCount, beforeJson));
                Object[] values = partial
                        ? table.decodePartialImage(in, afterColumns, afterCount, beforeJson)
                        : table.decodeImage(in, afterColumns, afterCount, null);
                afterRow = new Row(table.schema(), values);
            }
            out.accept(new RowChange(source, table.schema(), type, beforeRow, afterRow, position, timestamp));
            decoded++;
        }
        if (bytes != null && decoded != rows()) {
            throw new BinlogDecodeException("the row images decoded to " + decoded + " rows where stepping over"
                    + " them found " + rows());
        }
    }

    /**
     * Decodes a detached instance on the consumer's thread: an error names the event's place in the binlog as
     * one found on the connection's thread does.
     */
    public void decodeDetached(Consumer<RowChange> out) {
        try {
            decode(out);
        } catch (RuntimeException e) {
            throw BinlogStreamDecoder.located(where, e);
        }
    }
}
