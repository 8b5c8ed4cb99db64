package dev.canalboot.internal.binlog.schema;

import dev.canalboot.internal.binlog.event.DdlStatements;
import dev.canalboot.internal.binlog.protocol.ConnectionSettings;
import dev.canalboot.internal.binlog.protocol.MySqlConnection;
import dev.canalboot.internal.binlog.protocol.ResultSet;
import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;
import dev.canalboot.source.SourceException;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the server says of its tables now (information_schema), and which tables the binlog changes from a
 * position to its present end (SHOW BINLOG EVENTS): together they tell for which tables the present definition is
 * the one at that position. Queries run over a connection of its own, opened on first use and reopened when lost;
 * they block the caller, which must not be the event loop of {@code group}.
 */
public class ServerCatalog implements AutoCloseable {

    static final String SYSTEM_SCHEMAS = "('mysql','information_schema','performance_schema','sys')";

    private final ConnectionSettings settings;
    private final EventLoopGroup group;
    private final Duration timeout;
    private MySqlConnection connection;
    private Boolean mariaDb;
    /** Events per SHOW BINLOG EVENTS page. */
    int page = 10_000;

    public ServerCatalog(ConnectionSettings settings, EventLoopGroup group, Duration timeout) {
        this.settings = settings;
        this.group = group;
        this.timeout = timeout;
    }

    /**
     * Everything information_schema says now. {@code versioned}: MariaDB's system-versioned tables, which are not in
     * {@code tables}: their rows carry hidden columns (row_start, row_end) that information_schema does not list.
     */
    record Present(Map<TableKey, TableDefinition> tables, Map<String, String> schemaCharsets, String serverCharset,
                   java.util.Set<TableKey> versioned) {

        Present(Map<TableKey, TableDefinition> tables, Map<String, String> schemaCharsets, String serverCharset) {
            this(tables, schemaCharsets, serverCharset, java.util.Set.of());
        }
    }

    /** Why a system-versioned table's definition cannot be taken from information_schema. */
    static final String VERSIONED = "it is system-versioned (MariaDB): its rows carry hidden row_start/row_end columns"
            + " that information_schema does not list, so only table maps with column names"
            + " (binlog_row_metadata=FULL) can decode them";

    /** The first DDL naming a table (or its schema) after a position, and whether it creates it. */
    record LaterDdl(Map<TableKey, String> tables, Map<TableKey, Boolean> createdFirst, Map<String, String> schemas) {

        /** Why the present definition of {@code key} is not its definition at the scanned position, or null. */
        String reason(TableKey key) {
            String r = tables.get(key);
            return r != null ? r : schemas.get(key.schema());
        }
    }

    synchronized boolean mariaDb() {
        if (mariaDb == null) {
            mariaDb = connection().server().mariaDb();
        }
        return mariaDb;
    }

    /** All base tables outside the system schemas, or only {@code only} when not null. */
    synchronized Present present(TableKey only) {
        String where = only == null ? "TABLE_SCHEMA NOT IN " + SYSTEM_SCHEMAS
                : "TABLE_SCHEMA = " + quote(only.schema()) + " AND TABLE_NAME = " + quote(only.table());
        String serverCharset = query("SELECT @@character_set_server AS cs").first("cs");
        Map<String, String> schemaCharsets = new HashMap<>();
        for (List<String> row : query("SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA").rows()) {
            schemaCharsets.put(row.get(0), DdlApplier.charsetOf(row.get(1), null));
        }
        Map<TableKey, String> tableCharsets = new LinkedHashMap<>();
        java.util.Set<TableKey> versioned = new java.util.HashSet<>();
        for (List<String> row : query("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION, TABLE_TYPE FROM"
                + " information_schema.TABLES WHERE " + where + " AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')")
                .rows()) {
            TableKey key = new TableKey(row.get(0), row.get(1));
            if ("SYSTEM VERSIONED".equals(row.get(3))) {
                versioned.add(key);
            } else {
                tableCharsets.put(key, DdlApplier.charsetOf(null, row.get(2)));
            }
        }
        Map<TableKey, List<ColumnDefinition>> columns = new LinkedHashMap<>();
        for (List<String> row : query("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,"
                + " CHARACTER_SET_NAME, COLUMN_KEY FROM information_schema.COLUMNS WHERE " + where
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION").rows()) {
            TableKey key = new TableKey(row.get(0), row.get(1));
            if (tableCharsets.containsKey(key)) {
                columns.computeIfAbsent(key, k -> new ArrayList<>()).add(new ColumnDefinition(row.get(2),
                        row.get(3).toLowerCase(Locale.ROOT), row.get(4), row.get(5), "PRI".equals(row.get(6))));
            }
        }
        Map<TableKey, TableDefinition> tables = new HashMap<>();
        columns.forEach((key, cols) -> tables.put(key, new TableDefinition(key.schema(), key.table(), cols,
                tableCharsets.get(key))));
        return new Present(tables, schemaCharsets, DdlApplier.charsetOf(serverCharset, null), versioned);
    }

    /**
     * The DDL from {@code file:position} to the binlog's present end. Read after {@link #present}: a change the
     * present definitions show is then in the binlog read here (the server logs a DDL before it returns).
     */
    synchronized LaterDdl laterDdl(String file, long position) {
        Map<TableKey, String> tables = new HashMap<>();
        Map<TableKey, Boolean> createdFirst = new HashMap<>();
        Map<String, String> schemas = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (List<String> row : query("SHOW BINARY LOGS").rows()) {
            if (row.get(0).compareTo(file) >= 0) {
                files.add(row.get(0));
            }
        }
        for (String f : files) {
            long from = f.equals(file) ? position : 4;
            while (true) {
                // In pages: a consumer far behind has a long backlog, which must not be held in memory at once.
                ResultSet rs = query("SHOW BINLOG EVENTS IN " + quote(f) + " FROM " + from + " LIMIT " + (page + 1));
                int n = Math.min(rs.rows().size(), page);
                scan(rs, n, f, tables, createdFirst, schemas);
                if (rs.rows().size() <= page) {
                    break;
                }
                from = Long.parseLong(rs.get(page, "Pos"));
            }
        }
        return new LaterDdl(tables, createdFirst, schemas);
    }

    private static void scan(ResultSet rs, int n, String f, Map<TableKey, String> tables,
                             Map<TableKey, Boolean> createdFirst, Map<String, String> schemas) {
        for (int i = 0; i < n; i++) {
            if (!"Query".equals(rs.get(i, "Event_type"))) {
                continue;
            }
            String info = rs.get(i, "Info");
            String schema = null;
            String statement = info;
            if (info != null && info.startsWith("use `")) {
                int end = info.indexOf("`; ", 5);
                if (end > 0) {
                    schema = info.substring(5, end).replace("``", "`");
                    statement = info.substring(end + 3);
                }
            }
            if (statement == null || DdlStatements.kind(statement) != DdlStatements.Kind.DDL) {
                continue;
            }
            String where = f + ":" + rs.get(i, "Pos");
            String reason = "it changes later in the binlog, at " + where + ": " + abbreviate(statement);
            String head = statement.trim().toUpperCase(Locale.ROOT);
            if (head.startsWith("DROP DATABASE") || head.startsWith("DROP SCHEMA")) {
                String[] words = statement.trim().split("\\s+");
                String db = words[words.length - 1].replace("`", "").replace(";", "");
                schemas.putIfAbsent(db, reason);
                continue;
            }
            boolean create = head.startsWith("CREATE");
            for (String[] name : DdlStatements.tables(statement)) {
                String s = name[0] != null ? name[0] : schema;
                if (s == null) {
                    continue;
                }
                TableKey key = new TableKey(s, name[1]);
                if (tables.putIfAbsent(key, reason) == null) {
                    // CREATE OR REPLACE (MariaDB) may replace a table that existed.
                    createdFirst.put(key, create && !head.contains(" LIKE ") && !head.contains("IF NOT EXISTS")
                            && !head.contains(" OR REPLACE "));
                }
            }
        }
    }

    private ResultSet query(String sql) {
        try {
            return connection().execute(sql, timeout);
        } catch (SourceException e) {
            throw new SourceException("Schema history: cannot run '" + sql + "' on " + settings.address() + ": "
                    + e.getMessage(), e, e.isRetryable());
        }
    }

    private MySqlConnection connection() {
        if (connection == null || !connection.isOpen()) {
            connection = MySqlConnection.open(group, settings);
        }
        return connection;
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static String abbreviate(String sql) {
        String s = sql.strip();
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
