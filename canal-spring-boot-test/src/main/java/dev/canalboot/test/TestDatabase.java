package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import dev.canalboot.autoconfigure.BinlogConnectionDetails;
import dev.canalboot.embedded.DatabaseUser;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMariaDb;
import dev.canalboot.embedded.EmbeddedMySql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running embedded server and the account a test works with: it has the binlog source's rights
 * (replication, {@code SELECT}) and may create schemas and tables and change rows. Obtained from
 * {@link EmbeddedCdcDatabases}; under {@code @EmbeddedCdcDatabase} it is a bean of the test's context.
 */
public final class TestDatabase {

    private final CdcDatabase kind;
    private final EmbeddedDatabase server;
    private final DatabaseUser user;

    TestDatabase(CdcDatabase kind, EmbeddedDatabase server) {
        this.kind = kind;
        this.server = server;
        // mysql_native_password where the server has it (no TLS or RSA key exchange needed); MySQL 8.4+ has not.
        this.user = kind == CdcDatabase.NEWEST_MYSQL ? ((EmbeddedMySql) server).cachingSha2User()
                : server.nativePasswordUser();
    }

    public CdcDatabase kind() {
        return kind;
    }

    /** The launcher, for what this class does not offer (restart, log file, TLS certificate...). */
    public EmbeddedDatabase server() {
        return server;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String username() {
        return user.name();
    }

    public String password() {
        return user.password();
    }

    /** A MySQL Connector/J URL (works for MariaDB too); {@code database} may be null. */
    public String jdbcUrl(@Nullable String database) {
        return server.jdbcUrl(database);
    }

    /** Where the binlog source connects, as a bean: {@code @Bean BinlogConnectionDetails db() { return database.connectionDetails(); }}. */
    public BinlogConnectionDetails connectionDetails() {
        return new BinlogConnectionDetails() {
            @Override
            public String host() {
                return TestDatabase.this.host();
            }

            @Override
            public int port() {
                return TestDatabase.this.port();
            }

            @Override
            public String username() {
                return TestDatabase.this.username();
            }

            @Override
            public String password() {
                return TestDatabase.this.password();
            }

            @Override
            public String toString() {
                return "BinlogConnectionDetails[" + TestDatabase.this + "]";
            }
        };
    }

    /** Runs statements in order as the test user, in autocommit mode; stops at the first that fails. */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(this + " rejected \"" + sql + "\": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not connect to " + this + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query as the test user, each a column-label map in column order. */
    public List<Map<String, Object>> query(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(this + " rejected \"" + sql + "\": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(null), username(), password());
    }

    @Override
    public String toString() {
        String version = server instanceof EmbeddedMySql mysql ? "MySQL " + mysql.version()
                : "MariaDB " + EmbeddedMariaDb.VERSION;
        return version + " at " + host() + ":" + port() + " as " + username();
    }
}
