package dev.canalboot.checkpoint;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checkpoints in a table of the application's own database, one row per source. The table is created on
 * first use if missing; each save is one committed transaction.
 */
public final class JdbcCheckpointStore implements CheckpointStore {

    public static final String DEFAULT_TABLE = "canal_checkpoint";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

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
        String sql = "SELECT binlog_file, binlog_position, gtid_set, saved_at, schema_history FROM " + table + " WHERE source_name = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Checkpoint(source, rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getString(5)));
            }
        } catch (SQLException e) {
            throw new CheckpointException("Cannot read the checkpoint of source '" + source + "' from table " + table, e);
        }
    }

    @Override
    public void save(Checkpoint cp) {
        ensureTable();
        String update = "UPDATE " + table + " SET binlog_file = ?, binlog_position = ?, gtid_set = ?, saved_at = ?, schema_history = ? WHERE source_name = ?";
        String insert = "INSERT INTO " + table + " (binlog_file, binlog_position, gtid_set, saved_at, schema_history, source_name) VALUES (?, ?, ?, ?, ?, ?)";
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
            ps.setString(5, cp.schemaHistory());
            ps.setString(6, cp.source());
            return ps.executeUpdate();
        }
    }

    /** Tables created before the schema history was kept get its column. */
    private void addSchemaHistoryColumn(Statement s, String textType) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            java.sql.ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.getColumnName(i).equalsIgnoreCase("schema_history")) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN schema_history " + textType);
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
                + "schema_history %s)";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String textType = largeTextType(c);
            ddl = ddl.formatted(textType);
            s.execute(ddl);
            addSchemaHistoryColumn(s, textType);
            tableReady = true;
        } catch (SQLException e) {
            throw new CheckpointException("Cannot create checkpoint table " + table
                    + " (the database user needs CREATE on it, or create it yourself: " + ddl + ")", e);
        }
    }
}
