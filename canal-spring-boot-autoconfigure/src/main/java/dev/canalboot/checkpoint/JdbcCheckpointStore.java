package dev.canalboot.checkpoint;

import dev.canalboot.internal.jdbc.SqlErrors;

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
import org.jspecify.annotations.Nullable;

/**
 * Checkpoints in a table of the application's own database, one row per source. The table is created on
 * first use if missing; a save commits statement by statement and holds no lock between them. Column {@code leader_epoch} fences the row
 * for high availability: a {@link #save(Checkpoint, long) save with an epoch} lower than the stored one is refused.
 */
public final class JdbcCheckpointStore implements FencedCheckpointStore {

    public static final String DEFAULT_TABLE = "canal_checkpoint";

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    /** Columns added after the first release: a table created before them gets them on first use. */
    private static final Map<String, String> SERVER_COLUMNS = columns(
            "server_uuid", "VARCHAR(64)", "server_id", "BIGINT", "gtid_domain_id", "BIGINT");

    private final DataSource dataSource;
    private final String table;
    private volatile boolean tableReady;
    /**
     * The schema history each source's row holds as this store last wrote or read it. A save whose history is
     * the same leaves the column alone: the history can be tens of kilobytes and changes only with DDL, while the
     * position changes with every save. One writer per source (see {@link #save}) keeps this true.
     */
    private final Map<String, String> historyStored = new java.util.concurrent.ConcurrentHashMap<>();

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
                String history = rs.getString(8);
                remember(source, history);
                return Optional.of(new Checkpoint(source, rs.getString(1), rs.getLong(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), server, history, rs.getString(9)));
            }
        } catch (SQLException e) {
            throw new CheckpointException("Cannot read the checkpoint of source '" + source + "' from table " + table, e);
        }
    }

    @Override
    public void save(Checkpoint cp) {
        save(cp, null);
    }

    /**
     * Saves unless the row's epoch is higher than {@code epoch}; a refusal writes nothing. Each statement commits
     * on its own and the epoch is compared inside the UPDATE, so no row lock outlives a statement: a leader frozen
     * in the middle of a save (GC pause, SIGSTOP) holds no lock that would stall the instance taking over.
     */
    @Override
    public void save(Checkpoint cp, long epoch) {
        save(cp, Long.valueOf(epoch));
    }

    private void save(Checkpoint cp, Long epoch) {
        ensureTable();
        // Under leader election another instance may have written the row since this one last did: only a store
        // that is the row's one writer may skip an unchanged history.
        boolean historyUnchanged = epoch == null && cp.schemaHistory() != null
                && cp.schemaHistory().equals(historyStored.get(cp.source()));
        String update = "UPDATE " + table + " SET binlog_file = ?, binlog_position = ?, gtid_set = ?, saved_at = ?,"
                + " server_uuid = ?, server_id = ?, gtid_domain_id = ?, snapshot = ?"
                + (historyUnchanged ? "" : ", schema_history = ?") + (epoch == null ? "" : ", leader_epoch = ?")
                + " WHERE source_name = ?" + (epoch == null ? "" : " AND (leader_epoch IS NULL OR leader_epoch <= ?)");
        String insert = "INSERT INTO " + table + " (binlog_file, binlog_position, gtid_set, saved_at, server_uuid,"
                + " server_id, gtid_domain_id, snapshot, schema_history" + (epoch == null ? "" : ", leader_epoch")
                + ", source_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " + (epoch == null ? "" : "?, ") + "?)";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try {
                // Update, else insert; a row that appears between the two (another instance's first save) makes
                // the insert fail on the key, and the update is tried again. Two rounds settle it.
                for (int round = 1; ; round++) {
                    if (write(c, update, cp, !historyUnchanged, epoch, epoch != null) > 0) {
                        break;
                    }
                    if (epoch != null) {
                        Long stored = storedEpoch(c, cp.source());
                        if (stored != null && stored > epoch) {
                            throw new StaleEpochException(cp.source(), epoch, stored, location(cp.source()));
                        }
                    }
                    try {
                        write(c, insert, cp, true, epoch, false);
                        break;
                    } catch (SQLException raced) {
                        if (!SqlErrors.isDuplicateKey(raced) || round >= 3) {
                            throw raced;
                        }
                    }
                }
                remember(cp.source(), cp.schemaHistory());
            } catch (SQLException | RuntimeException e) {
                historyStored.remove(cp.source()); // not known what the row holds now
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new CheckpointException("Cannot save the checkpoint of source '" + cp.source() + "' to table " + table, e);
        }
    }

    /**
     * Raises the row's epoch. A source without a row has nothing a deposed leader could overwrite yet; the new
     * leader's first save writes its epoch.
     */
    @Override
    public void fence(String source, long epoch) {
        ensureTable();
        String sql = "UPDATE " + table + " SET leader_epoch = ? WHERE source_name = ?"
                + " AND (leader_epoch IS NULL OR leader_epoch < ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, epoch);
            ps.setString(2, source);
            ps.setLong(3, epoch);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CheckpointException("Cannot fence the checkpoint of source '" + source + "' in table " + table
                    + " at epoch " + epoch, e);
        }
    }

    /** The row's epoch; null when there is no row or no epoch. */
    private @Nullable Long storedEpoch(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT leader_epoch FROM " + table
                + " WHERE source_name = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long epoch = rs.getLong(1);
                return rs.wasNull() ? null : epoch;
            }
        }
    }

    @Override
    public String location(String source) {
        return "the row source_name = '" + source + "' of table " + table;
    }

    @Override
    public void delete(String source) {
        ensureTable();
        historyStored.remove(source);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE source_name = ?")) {
            ps.setString(1, source);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new CheckpointException("Cannot delete the checkpoint of source '" + source + "' from table " + table, e);
        }
    }

    private void remember(String source, String history) {
        if (history == null) {
            historyStored.remove(source);
        } else {
            historyStored.put(source, history);
        }
    }

    /**
     * Binds the checkpoint's columns, the history when {@code withHistory}, {@code epoch} when not null, the source,
     * and {@code epoch} again for an update's fencing condition when {@code fencedUpdate}.
     */
    private static int write(Connection c, String sql, Checkpoint cp, boolean withHistory, Long epoch,
                             boolean fencedUpdate) throws SQLException {
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
            ps.setString(8, cp.snapshot());
            int next = 9;
            if (withHistory) {
                ps.setString(next++, cp.schemaHistory());
            }
            if (epoch != null) {
                ps.setLong(next++, epoch);
            }
            ps.setString(next++, cp.source());
            if (fencedUpdate) {
                ps.setLong(next, epoch);
            }
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
                .collect(Collectors.joining(", ")) + ", schema_history %s, snapshot %s, leader_epoch BIGINT)";
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
        addColumnIfMissing("leader_epoch", "BIGINT");
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
