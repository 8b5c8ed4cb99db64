package dev.canalboot.ha;

import dev.canalboot.internal.jdbc.SqlErrors;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The election tables of {@code ha.mode=jdbc} in the application's DataSource, created if missing: Spring
 * Integration's lock table ({@code <prefix>LOCK}) and the epochs ({@code <prefix>EPOCH}, one row per source: the
 * last epoch, its holder and when it was claimed).
 */
public final class JdbcEpochs implements EpochSource {

    private final DataSource dataSource;
    private final String prefix;

    public JdbcEpochs(DataSource dataSource, String prefix) {
        if (!prefix.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IllegalArgumentException("HA table prefix '" + prefix
                    + "' is not a plain SQL identifier (letters, digits, '_', optionally schema.prefix)");
        }
        this.dataSource = dataSource;
        this.prefix = prefix;
    }

    public String lockTable() {
        return prefix + "LOCK";
    }

    public String epochTable() {
        return prefix + "EPOCH";
    }

    /** Creates both tables when missing; the message of a failure gives the statements to run by hand. */
    public void createTables() {
        String lock = null;
        String epoch = null;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            String time = product.contains("mysql") || product.contains("mariadb") ? "DATETIME(6)" : "TIMESTAMP";
            // The columns Spring Integration's DefaultLockRepository reads and writes.
            lock = "CREATE TABLE IF NOT EXISTS " + lockTable() + " (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100)"
                    + " NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE " + time + " NOT NULL, EXPIRED_AFTER " + time
                    + " NOT NULL, PRIMARY KEY (LOCK_KEY, REGION))";
            epoch = "CREATE TABLE IF NOT EXISTS " + epochTable() + " (SOURCE_NAME VARCHAR(200) NOT NULL PRIMARY KEY,"
                    + " EPOCH BIGINT NOT NULL, HOLDER VARCHAR(255) NOT NULL, CLAIMED_AT " + time + " NOT NULL)";
            s.execute(lock);
            s.execute(epoch);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the high-availability tables " + lockTable() + " and "
                    + epochTable() + " (the database user needs CREATE, or create them yourself: " + lock + "; "
                    + epoch + ")", e);
        }
    }

    /**
     * Claims the next epoch by compare-and-set (each statement commits on its own): an instance frozen while it
     * claims holds no row lock that would stall the next claimant.
     */
    @Override
    public Epoch next(String source, String holder) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(true);
            try {
                for (int attempt = 1; ; attempt++) {
                    Instant now = Instant.now();
                    Optional<Epoch> last = read(c, source);
                    long value = last.map(e -> e.value() + 1).orElse(1L);
                    if (last.isPresent() ? advance(c, source, holder, now, last.get().value())
                            : insertFirst(c, source, holder, now)) {
                        return new Epoch(value, holder, now);
                    }
                    if (attempt >= 20) {
                        throw new IllegalStateException("Epoch of source '" + source + "' in table " + epochTable()
                                + " changed under every one of " + attempt + " claims: too many instances claiming");
                    }
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot claim the next leader epoch of source '" + source + "' in table "
                    + epochTable(), e);
        }
    }

    private boolean advance(Connection c, String source, String holder, Instant now, long seen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + epochTable()
                + " SET EPOCH = ?, HOLDER = ?, CLAIMED_AT = ? WHERE SOURCE_NAME = ? AND EPOCH = ?")) {
            ps.setLong(1, seen + 1);
            ps.setString(2, holder);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, source);
            ps.setLong(5, seen);
            return ps.executeUpdate() == 1;
        }
    }

    private boolean insertFirst(Connection c, String source, String holder, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + epochTable()
                + " (EPOCH, HOLDER, CLAIMED_AT, SOURCE_NAME) VALUES (1, ?, ?, ?)")) {
            ps.setString(1, holder);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, source);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                return false; // another instance claimed epoch 1 first
            }
            throw e;
        }
    }

    @Override
    public Optional<Epoch> current(String source) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, source);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the leader epoch of source '" + source + "' from table "
                    + epochTable(), e);
        }
    }

    private Optional<Epoch> read(Connection c, String source) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EPOCH, HOLDER, CLAIMED_AT FROM " + epochTable()
                + " WHERE SOURCE_NAME = ?")) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Epoch(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        }
    }
}
