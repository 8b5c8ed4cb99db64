package dev.canalboot.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A MySQL-family server every contender of a run reads from: where it is, how to log in as a replica, and the
 * few statements the harness needs (reset and read binlog coordinates).
 *
 * @param owner what to close when the run is over (the embedded server), or {@code null} for an external one
 */
public record BenchServer(Flavor flavor, String version, String host, int port, String user, String password,
                          AutoCloseable owner) implements AutoCloseable {

    public enum Flavor { MYSQL, MARIADB }

    /** The product and version as the table prints it, e.g. {@code MySQL 8.0.31}. */
    public String label() {
        return (flavor == Flavor.MYSQL ? "MySQL " : "MariaDB ") + version;
    }

    /** The embedded server behind this one, or {@code null} for an external server. */
    public dev.canalboot.embedded.EmbeddedDatabase embedded() {
        return owner instanceof dev.canalboot.embedded.EmbeddedDatabase database ? database : null;
    }

    public String jdbcUrl() {
        // Connector/J speaks to both; batched inserts are rewritten into multi-row INSERTs.
        return "jdbc:mysql://" + host + ":" + port + "/?allowPublicKeyRetrieval=true&useSSL=false"
                + "&rewriteBatchedStatements=true&permitMysqlScheme=true";
    }

    public Connection connect() {
        try {
            return DriverManager.getConnection(jdbcUrl(), user, password);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + label() + " at " + host + ":" + port + " as "
                    + user + ": " + e.getMessage(), e);
        }
    }

    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException(label() + " rejected \"" + abbreviate(sql) + "\": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Statement on " + label() + " failed: " + e.getMessage(), e);
        }
    }

    /** Drops every binlog file: the next workload's binlog starts at {@link #binlogStart()}. */
    public void resetBinlog() {
        execute("RESET MASTER");
    }

    /** The first event of the oldest binlog file still on the server. */
    public BinlogPosition binlogStart() {
        List<String> files = new ArrayList<>();
        query("SHOW BINARY LOGS", rs -> files.add(rs.getString(1)));
        if (files.isEmpty()) {
            throw new IllegalStateException(label() + " has no binary log: is log-bin on?");
        }
        return new BinlogPosition(files.get(0), 4);
    }

    /** Where the next event will be written. */
    public BinlogPosition binlogEnd() {
        List<BinlogPosition> end = new ArrayList<>();
        query("SHOW MASTER STATUS", rs -> end.add(new BinlogPosition(rs.getString(1), rs.getLong(2))));
        if (end.isEmpty()) {
            throw new IllegalStateException(label() + " shows no master status: is log-bin on?");
        }
        return end.get(0);
    }

    public long queryLong(String sql) {
        long[] value = {Long.MIN_VALUE};
        query(sql, rs -> value[0] = rs.getLong(1));
        return value[0];
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                reader.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(label() + " rejected \"" + sql + "\": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String sql) {
        return sql.length() <= 200 ? sql : sql.substring(0, 200) + "...";
    }

    @Override
    public void close() throws Exception {
        if (owner != null) {
            owner.close();
        }
    }

    @Override
    public String toString() {
        return label() + " at " + host + ":" + port;
    }
}
