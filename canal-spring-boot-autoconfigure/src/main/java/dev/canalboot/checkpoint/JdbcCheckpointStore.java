package dev.canalboot.checkpoint;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/**
 * Checkpoints in a table of the application's own database, one row per source. The table is created on
 * first use if missing; each save is one committed transaction.
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    public static final String DEFAULT_TABLE = "canal_checkpoint";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    /** Columns added after the first release: a table created before them gets them on first use. */
    private static final Map<String, String> SERVER_COLUMNS = columns(
            "server_uuid", "VARCHAR(64)", "server_id", "BIGINT", "gtid_domain_id", "BIGINT");

    private final DataSource dataSource;
    private final String table;
    private volatile boolean tableReady;

    public JdbcCheckpointStore(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    public JdbcCheckpointStore(DataSource dataSource, String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new CheckpointException("Checkpoint table name '" + table
                    + "' is not a plain SQL identifier (letters, digits, '_', optionally schema.table)");
        }
        this.dataSource = dataSource;
        this.table = table;
    }

    public String table() {
        return table;
    }

    @Override
    public Optional<Checkpoint> load(String source) {
        ensureTable();
        String sql = "SELECT binlog_file, binlog_position, gtid_set, saved_at, server_uuid, server_id, gtid_domain_id,"
                + " schema_history, snapshot FROM " + table + " WHERE source_name = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long serverId = rs.getLong(6);
                ServerIdentity server = rs.wasNull() ? null : new ServerIdentity(rs.getString(5), serverId,
                        rs.getObject(7) == null ? null : rs.getLong(7));
                return Optional.of(new Checkpoint(source, rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), server, rs.getString(8), rs.getString(9)));
            }
        } catch (SQLException e) {
            throw new CheckpointException("Cannot read the checkpoint of source '" + source + "' from table " + table, e);
        }
    }

    @Override
    public void save(Checkpoint cp) {
        ensureTable();
        String update = "UPDATE " + table + " SET binlog_file = ?, binlog_position = ?, gtid_set = ?, saved_at = ?,"
                + " server_uuid = ?, server_id = ?, gtid_domain_id = ?, schema_history = ?, snapshot = ? WHERE source_name = ?";
        String insert = "INSERT INTO " + table + " (binlog_file, binlog_position, gtid_set, saved_at, server_uuid,"
                + " server_id, gtid_domain_id, schema_history, snapshot, source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                // One consumer per source writes its row, so update-then-insert needs no vendor-specific upsert.
                if (write(c, update, cp) == 0) {
                    write(c, insert, cp);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new CheckpointException("Cannot save the checkpoint of source '" + cp.source() + "' to table " + table, e);
        }
    }

    @Override
    public String location(String source) {
        return "the row source_name = '" + source + "' of table " + table;
    }

    @Override
    public void delete(String source) {
        ensureTable();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE source_name = ?")) {
            ps.setString(1, source);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CheckpointException("Cannot delete the checkpoint of source '" + source + "' from table " + table, e);
        }
    }

    private static int write(Connection c, String sql, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cp.file());
            ps.setLong(2, cp.position());
            ps.setString(3, cp.gtidSet());
            ps.setTimestamp(4, Timestamp.from(cp.savedAt()));
            ServerIdentity server = cp.server();
            ps.setString(5, server == null ? null : server.serverUuid());
            if (server == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, server.serverId());
            }
            if (server == null || server.gtidDomainId() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, server.gtidDomainId());
            }
            ps.setString(8, cp.schemaHistory());
            ps.setString(9, cp.snapshot());
            ps.setString(10, cp.source());
            return ps.executeUpdate();
        }
    }

    /** MySQL's and MariaDB's TEXT holds 64 KB, too little for the table definitions of a large schema. */
    private static String largeTextType(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
        return product.contains("mysql") || product.contains("mariadb") ? "MEDIUMTEXT" : "TEXT";
    }

    private void ensureTable() {
        if (tableReady) {
            return;
        }
        String ddl = "CREATE TABLE IF NOT EXISTS " + table + " ("
                + "source_name VARCHAR(200) NOT NULL PRIMARY KEY, "
                + "binlog_file VARCHAR(255), "
                + "binlog_position BIGINT NOT NULL, "
                + "gtid_set VARCHAR(8000), "
                + "saved_at TIMESTAMP(3) NOT NULL, " // milliseconds: a plain TIMESTAMP drops them on MySQL
                + SERVER_COLUMNS.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ", schema_history %s, snapshot %s)";
        String textType;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            textType = largeTextType(c);
            ddl = ddl.formatted(textType, textType);
            s.execute(ddl);
        } catch (SQLException e) {
            throw new CheckpointException("Cannot create checkpoint table " + table
                    + " (the database user needs CREATE on it, or create it yourself: " + ddl + ")", e);
        }
        SERVER_COLUMNS.forEach(this::addColumnIfMissing);
        addColumnIfMissing("schema_history", textType);
        addColumnIfMissing("snapshot", textType);
        tableReady = true;
    }

    private static Map<String, String> columns(String... namesAndTypes) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.put(namesAndTypes[i], namesAndTypes[i + 1]);
        }
        return columns;
    }

    /** Migrates a table of an older version: adds {@code column} (nullable, so existing rows stay valid). */
    private void addColumnIfMissing(String column, String type) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try {
                s.executeQuery("SELECT " + column + " FROM " + table + " WHERE 1 = 0").close();
                return;
            } catch (SQLException missing) {
                // an unknown column (or an unreadable table: the ALTER then fails and says so)
            }
            String alter = "ALTER TABLE " + table + " ADD COLUMN " + column + " " + type;
            try {
                s.execute(alter);
            } catch (SQLException e) {
                throw new CheckpointException("Checkpoint table " + table + " lacks column " + column
                        + " (it was created by an older version) and cannot be altered: the database user needs ALTER"
                        + " on it, or run it yourself: " + alter, e);
            }
        } catch (SQLException e) {
            throw new CheckpointException("Cannot check the columns of checkpoint table " + table, e);
        }
    }
}
