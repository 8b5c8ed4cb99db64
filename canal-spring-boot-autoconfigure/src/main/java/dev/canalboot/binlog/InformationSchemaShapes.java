package dev.canalboot.binlog;

import dev.canalboot.binlog.protocol.ConnectionSettings;
import dev.canalboot.binlog.protocol.MySqlConnection;
import dev.canalboot.binlog.protocol.ResultSet;
import dev.canalboot.source.SourceException;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Column shapes from information_schema.COLUMNS over a query connection of its own (opened on first use,
 * reopened when lost), cached per table until {@link #invalidate}d. The shape is the table's current one:
 * rows read from an older part of the binlog after a later ALTER may not match it.
 * <p>
 * Blocks the calling thread while querying; {@code group} must not be the event loop that calls it.
 */
public final class InformationSchemaShapes implements TableShapeResolver, AutoCloseable {

    private final ConnectionSettings settings;
    private final EventLoopGroup group;
    private final Duration timeout;
    private final Map<String, List<ColumnShape>> cache = new ConcurrentHashMap<>();
    private MySqlConnection connection;

    public InformationSchemaShapes(ConnectionSettings settings, EventLoopGroup group, Duration timeout) {
        this.settings = settings;
        this.group = group;
        this.timeout = timeout;
    }

    @Override
    public List<ColumnShape> columns(String schema, String table) {
        String key = schema + "." + table;
        List<ColumnShape> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        List<ColumnShape> loaded = load(schema, table);
        // An unknown table may be created later: only known shapes are kept.
        if (!loaded.isEmpty()) {
            cache.put(key, loaded);
        }
        return loaded;
    }

    @Override
    public void invalidate(String schema, String table) {
        cache.remove(schema + "." + table);
    }

    private synchronized List<ColumnShape> load(String schema, String table) {
        String sql = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME, COLUMN_KEY"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " + quote(schema)
                + " AND TABLE_NAME = " + quote(table) + " ORDER BY ORDINAL_POSITION";
        ResultSet rs;
        try {
            rs = connection().execute(sql, timeout);
        } catch (SourceException e) {
            throw new SourceException("Cannot read the columns of " + schema + "." + table + " from "
                    + settings.address() + ": " + e.getMessage(), e, e.isRetryable());
        }
        List<ColumnShape> columns = new ArrayList<>(rs.rows().size());
        for (List<String> row : rs.rows()) {
            columns.add(new ColumnShape(row.get(0), row.get(1), row.get(2), row.get(3), "PRI".equals(row.get(4))));
        }
        return List.copyOf(columns);
    }

    private MySqlConnection connection() {
        if (connection == null || !connection.isOpen()) {
            connection = MySqlConnection.open(group, settings);
        }
        return connection;
    }

    /** A string literal with backslashes and quotes escaped (NO_BACKSLASH_ESCAPES is not set on this session). */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
