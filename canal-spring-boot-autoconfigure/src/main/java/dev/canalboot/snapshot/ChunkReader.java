package dev.canalboot.snapshot;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.internal.binlog.protocol.MySqlServerException;
import dev.canalboot.internal.binlog.protocol.ResultSet;
import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.ZeroDatePolicy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Reads a snapshot's tables over one client connection of the project's own protocol client: table shapes,
 * chunks, and the binlog positions that bracket each chunk. Read-only: plain {@code SELECT}s and status reads,
 * no locks. Values are typed by the same converter that types Canal's text values, so a snapshot row holds
 * exactly the Java values the binlog decoder gives for the same row (the session runs in UTC and utf8mb4).
 */
final class ChunkReader implements AutoCloseable {

    /** What the reader needs from the stream it merges into. */
    interface Stream {
        /**
         * Waits until the stream has passed {@code point} and returns the MySQL GTIDs executed there, or null when
         * the stream does not track them.
         */
        GtidSet awaitPassed(BinlogPoint point) throws InterruptedException;
    }

    /** One chunk: its rows, the raw key of its last row, and the place in the stream from which it holds. */
    record Chunk(List<Row> rows, List<String> lastKey, BinlogPoint high) {
    }

    private static final int ER_NO_SUCH_TABLE = 1146;
    /** A column of the chunk's SELECT is gone: the table was altered since its shape was read. */
    private static final int ER_BAD_FIELD_ERROR = 1054;

    private final MySqlConnection connection;
    private final Duration timeout;
    private final CanalValueConverter converter;
    private final boolean mariaDb;
    private final boolean gtids;
    private final String statusQuery;
    /**
     * The shape whose columns information_schema showed unchanged after a chunk's SELECT: its later chunks are not
     * checked there again, the merger watches the stream for its table's DDLs from that chunk's opening on.
     */
    private SnapshotTable checked;
    /** Time spent per phase of {@link #read} so far: for the runner's debug line on where a table's time went. */
    long watermarkNanos;
    long selectNanos;
    long checkNanos;

    ChunkReader(MySqlConnection connection, Duration timeout, ZeroDatePolicy zeroDates) {
        this.connection = connection;
        this.timeout = timeout;
        // Binlog TIMESTAMPs are instants; the session renders them in UTC, which the converter reads back as such.
        this.converter = new CanalValueConverter(ZoneOffset.UTC, zeroDates);
        this.mariaDb = connection.server().mariaDb();
        this.statusQuery = !mariaDb && connection.server().versionNumber() >= 80400
                ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        execute("SET NAMES utf8mb4");
        execute("SET time_zone = '+00:00'");
        this.gtids = !mariaDb && "ON".equalsIgnoreCase(execute("SELECT @@global.gtid_mode AS m").first("m"));
    }

    boolean mariaDb() {
        return mariaDb;
    }

    /** MySQL with GTIDs off: the chunks' low watermark has the gap the README's Snapshots section describes. */
    boolean watermarksWithoutGtids() {
        return !mariaDb && !gtids;
    }

    private ResultSet execute(String sql) {
        return connection.execute(sql, timeout);
    }

    /** {@code schema.table} of the existing base tables outside the system schemas. */
    List<String[]> tables() {
        List<String[]> tables = new ArrayList<>();
        for (List<String> row : execute("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE"
                + " TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN"
                + " ('mysql','information_schema','performance_schema','sys') ORDER BY TABLE_SCHEMA, TABLE_NAME").rows()) {
            tables.add(new String[] {row.get(0), row.get(1)});
        }
        return tables;
    }

    /** The server's estimate of the table's rows (information_schema.TABLES), or -1. */
    long estimatedRows(String schema, String table) {
        String v = execute("SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                + quote(schema) + " AND TABLE_NAME = " + quote(table)).first("n");
        return v == null ? -1 : Long.parseLong(v);
    }

    /**
     * The table's shape and the key to chunk by: the user's key columns, else the primary key, else the first
     * unique key of NOT NULL columns. A table without one is refused (see the README, Snapshots). Null when the
     * table does not exist (any more).
     */
    @Nullable SnapshotTable shape(String schema, String table, List<String> userKey) {
        ResultSet cols = columns(schema, table);
        if (cols.rows().isEmpty()) {
            return null;
        }
        List<SnapshotTable.ColumnInfo> infos = infos(cols);
        Map<String, Boolean> notNull = new LinkedHashMap<>();
        for (List<String> r : cols.rows()) {
            notNull.put(r.get(0).toLowerCase(Locale.ROOT), "NO".equals(r.get(5)));
        }
        List<String> key = userKey;
        if (key == null || key.isEmpty()) {
            ResultSet idx = execute("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE"
                    + " TABLE_SCHEMA = " + quote(schema) + " AND TABLE_NAME = " + quote(table) + " AND NON_UNIQUE = 0"
                    + " ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
            Map<String, List<String>> unique = new LinkedHashMap<>();
            for (List<String> r : idx.rows()) {
                unique.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(r.get(1));
            }
            key = null;
            for (List<String> columns : unique.values()) {
                if (columns.stream().allMatch(c -> notNull.getOrDefault(c.toLowerCase(Locale.ROOT), false))) {
                    key = columns;
                    break;
                }
            }
            if (key == null) {
                throw new SnapshotException("Snapshot of " + schema + "." + table + " refused: the table has no"
                        + " primary key and no unique key of NOT NULL columns, so it cannot be read in chunks that"
                        + " merge exactly with the stream. Add a primary key, or name unique NOT NULL columns in"
                        + " snapshot.key-columns, or leave the table out of snapshot.tables");
            }
        }
        return new SnapshotTable(schema, table, infos, key);
    }

    private ResultSet columns(String schema, String table) {
        return execute(columnsQuery(schema, table));
    }

    private static String columnsQuery(String schema, String table) {
        return "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLUMN_KEY,"
                + " IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + quote(schema)
                + " AND TABLE_NAME = " + quote(table) + " ORDER BY ORDINAL_POSITION";
    }

    private static List<SnapshotTable.ColumnInfo> infos(ResultSet cols) {
        List<SnapshotTable.ColumnInfo> infos = new ArrayList<>();
        for (List<String> r : cols.rows()) {
            infos.add(new SnapshotTable.ColumnInfo(r.get(0), r.get(1).toLowerCase(Locale.ROOT), r.get(2), r.get(3),
                    "PRI".equals(r.get(4))));
        }
        return infos;
    }

    /**
     * Reads the chunk after {@code afterKey}. The rows hold at every stream position from the returned high
     * point on until the stream changes their key; see the README's Snapshots section for why.
     * <p>
     * The statements after the watermark wait are sent together: the connection runs them in order, one after the
     * other, so the high point and the columns are still read after the {@code SELECT}, without a round trip through
     * this thread between them. The rows are typed on the connection's thread as they arrive, while the server
     * sends the next ones.
     *
     * The first chunk read in a shape (a {@link SnapshotTable} not read before) reads the table's columns from
     * information_schema after its SELECT; on MySQL the later ones need not: from that chunk's opening on, the merger
     * watches the stream for DDLs of the table, between chunks too (README, Snapshots).
     *
     * @return null when the table does not exist any more or its columns are not those of {@code table} (an
     *         {@code ALTER} since its shape was read: the caller reads the shape again)
     */
    Chunk read(SnapshotTable table, List<String> afterKey, int limit, Stream stream) throws InterruptedException {
        String sql = table.chunkQuery(afterKey, limit);
        String what = "Snapshot chunk of " + table.qualifiedName();
        RowConverter rows = new RowConverter(table, limit);
        // MariaDB checks every chunk: its high point is the read view's, taken before the SELECT, so an ALTER between
        // them is in the binlog after that point although the SELECT ran after it.
        boolean checkColumns = mariaDb || table != checked;
        long t0 = System.nanoTime();
        long t1;
        CompletableFuture<ResultSet> select;
        CompletableFuture<ResultSet> highStatus;
        CompletableFuture<ResultSet> columnsAfter;
        if (mariaDb) {
            // MariaDB names the binlog position its consistent snapshot sees: exact, and no wait needed (its status
            // reads count as the SELECT's time).
            t1 = t0;
            CompletableFuture<ResultSet> begin = connection.query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            highStatus = connection.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
            select = connection.queryRaw(sql, rows);
            CompletableFuture<ResultSet> commit = connection.query("COMMIT");
            columnsAfter = checkColumns ? connection.query(columnsQuery(table.schema, table.table)) : null;
            MySqlConnection.await(begin, timeout, what);
            MySqlConnection.await(commit, timeout, what); // runs even when the SELECT failed
        } else {
            if (gtids) { // without GTIDs there is nothing to wait on (README, Snapshots): no status read before
                ResultSet status = execute(statusQuery);
                awaitCommitted(point(status), executedGtids(status), stream);
            }
            t1 = System.nanoTime();
            select = connection.queryRaw(sql, rows);
            highStatus = connection.query(statusQuery);
            columnsAfter = checkColumns ? connection.query(columnsQuery(table.schema, table.table)) : null;
        }
        ResultSet rs;
        try {
            rs = MySqlConnection.await(select, timeout, what);
        } catch (MySqlServerException e) {
            if (e.code() == ER_NO_SUCH_TABLE || e.code() == ER_BAD_FIELD_ERROR) {
                return null;
            }
            throw e;
        }
        long t2 = System.nanoTime();
        ResultSet status = MySqlConnection.await(highStatus, timeout, what);
        BinlogPoint high = mariaDb
                ? new BinlogPoint(statusValue(status, "Binlog_snapshot_file"),
                        Long.parseLong(statusValue(status, "Binlog_snapshot_position")))
                : point(status);
        // The shape read again after the shape's first SELECT: an ALTER committed before this point and after the
        // shape was read (an added column the SELECT did not name, a changed type) shows here; a later one shows in
        // the stream, which the merger watches from that chunk's opening on, and discards the next chunk ready after
        // it (README, Snapshots).
        boolean same = sameColumns(rs.columns(), table) && (columnsAfter == null
                || infos(MySqlConnection.await(columnsAfter, timeout, what)).equals(table.columns));
        long t3 = System.nanoTime();
        watermarkNanos += t1 - t0;
        selectNanos += t2 - t1;
        checkNanos += t3 - t2;
        if (!same) {
            return null;
        }
        Chunk chunk = rows.chunk(high);
        checked = table;
        return chunk;
    }

    /**
     * Types a chunk's rows on the connection's thread as they arrive, and keeps the raw key of the last one. A value
     * that does not convert is held until the chunk's columns are checked: in a table altered meanwhile it is no
     * error, the chunk is read again.
     */
    private final class RowConverter implements java.util.function.Consumer<byte[][]> {
        private final SnapshotTable table;
        private final List<Row> rows;
        private byte[][] last;
        private RuntimeException failure;

        RowConverter(SnapshotTable table, int limit) {
            this.table = table;
            this.rows = new ArrayList<>(Math.min(limit, 65_536));
        }

        @Override
        public void accept(byte[][] cells) {
            if (failure != null) {
                return;
            }
            try {
                TableSchema schema = table.tableSchema;
                if (cells.length != schema.size()) {
                    throw new SnapshotException("Snapshot chunk of " + table.qualifiedName() + ": " + cells.length
                            + " columns, expected " + schema.size());
                }
                Object[] values = new Object[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    values[i] = value(schema.column(i), cells[i]);
                }
                rows.add(new Row(schema, values));
                last = cells;
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        Chunk chunk(BinlogPoint high) {
            if (failure != null) {
                throw failure;
            }
            List<String> lastKey = null;
            if (last != null) {
                lastKey = new ArrayList<>(table.key.length);
                for (int k = 0; k < table.key.length; k++) {
                    lastKey.add(table.literal(k, last[table.key[k]]));
                }
            }
            return new Chunk(rows, lastKey, high);
        }
    }

    /**
     * MySQL writes a transaction to the binlog before it commits it in InnoDB: one the binlog has before
     * {@code point} may not be visible yet. Waits until the stream passed {@code point} and gtid_executed (which
     * the server updates after the engine commit) holds every GTID the stream saw up to there.
     */
    private void awaitCommitted(BinlogPoint point, @Nullable GtidSet executedAtPoint, Stream stream)
            throws InterruptedException {
        GtidSet seen = stream.awaitPassed(point);
        if (seen == null) {
            return;
        }
        if (executedAtPoint != null && seen.subtract(executedAtPoint).isEmpty()) {
            return; // committed already when the point was read, before the SELECT: no round trip more
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            GtidSet executed = GtidSet.parse(execute("SELECT @@global.gtid_executed AS g").first("g"));
            if (seen.subtract(executed).isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new SnapshotException("Snapshot: the transactions " + seen.subtract(executed) + " are in the"
                        + " binlog but not committed after " + timeout + "; the server is stalled");
            }
            Thread.sleep(1);
        }
    }

    /** The GTIDs executed when the binlog status was read (null when the server shows none). */
    private static @Nullable GtidSet executedGtids(ResultSet status) {
        if (status.columns().stream().noneMatch(c -> c.equalsIgnoreCase("Executed_Gtid_Set"))) {
            return null;
        }
        String set = status.first("Executed_Gtid_Set");
        return set == null ? null : GtidSet.parse(set); // parse drops the line breaks the server puts in long sets
    }

    private BinlogPoint point(ResultSet rs) {
        if (rs.rows().isEmpty()) {
            throw new SnapshotException(statusQuery + " returned nothing: binary logging is off or the user lacks"
                    + " REPLICATION CLIENT");
        }
        return new BinlogPoint(rs.first("File"), Long.parseLong(rs.first("Position")));
    }

    private static String statusValue(ResultSet status, String name) {
        for (List<String> row : status.rows()) {
            if (row.get(0).equalsIgnoreCase(name)) {
                return row.get(1);
            }
        }
        throw new SnapshotException("SHOW STATUS has no " + name + " (binary logging off?)");
    }

    private static boolean sameColumns(List<String> names, SnapshotTable table) {
        if (names.size() != table.tableSchema.size()) {
            return false;
        }
        for (int i = 0; i < names.size(); i++) {
            String expected = table.tableSchema.column(i).name();
            String got = names.get(i);
            if (!got.equalsIgnoreCase(expected) && !got.equalsIgnoreCase(SnapshotTable.quoteName(expected) + " + 0")) {
                return false;
            }
        }
        return true;
    }

    /** The model's value of one text-protocol cell; binary families keep their bytes one char per byte. */
    private @Nullable Object value(Column column, byte[] cell) {
        if (cell == null) {
            return null;
        }
        ColumnType t = column.type();
        if ((t == ColumnType.TINYINT || t == ColumnType.SMALLINT || t == ColumnType.MEDIUMINT || t == ColumnType.INT
                || (t == ColumnType.BIGINT && !column.unsigned())) && cell.length > 0 && cell.length < 19) {
            long v = 0;
            int i = cell[0] == '-' ? 1 : 0;
            boolean digits = i < cell.length;
            for (; i < cell.length && digits; i++) {
                int d = cell[i] - '0';
                digits = d >= 0 && d <= 9;
                v = v * 10 + d;
            }
            if (digits) { // the common case without a String; anything else takes the converter's text path
                return converter.convertInteger(column, cell[0] == '-' ? -v : v);
            }
        }
        if (t == ColumnType.DECIMAL) {
            BigDecimal v = decimal(cell, column.scale());
            if (v != null) {
                return v;
            }
        }
        boolean binary = t == ColumnType.BINARY || t == ColumnType.VARBINARY || t == ColumnType.BLOB
                || t == ColumnType.GEOMETRY || t == ColumnType.VECTOR;
        return converter.convert(column, new String(cell, binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8),
                false);
    }

    /**
     * A DECIMAL's text of up to 18 digits with exactly {@code scale} of them after the point, without a String:
     * the value {@code new BigDecimal(text).setScale(scale)} gives. Null for anything else (the converter's path).
     */
    static @Nullable BigDecimal decimal(byte[] cell, int scale) {
        if (cell.length == 0 || cell.length > 20) { // a sign, 18 digits and a point
            return null;
        }
        boolean negative = cell[0] == '-';
        int point = -1;
        long unscaled = 0;
        for (int i = negative ? 1 : 0; i < cell.length; i++) {
            int d = cell[i] - '0';
            if (d >= 0 && d <= 9) {
                unscaled = unscaled * 10 + d;
            } else if (cell[i] == '.' && point < 0 && i > (negative ? 1 : 0) && i < cell.length - 1) {
                point = i;
            } else {
                return null;
            }
        }
        int digits = cell.length - (negative ? 1 : 0) - (point < 0 ? 0 : 1);
        int digitsAfter = point < 0 ? 0 : cell.length - point - 1;
        if (digits == 0 || digits > 18 || digitsAfter != scale) { // 18 digits fit a long
            return null;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public void close() {
        connection.close();
    }
}
