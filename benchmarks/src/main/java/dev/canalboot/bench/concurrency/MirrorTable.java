package dev.canalboot.bench.concurrency;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.contender.RunContext;
import dev.canalboot.bench.workload.Workload;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.listener.RowHandler;
import dev.canalboot.model.Row;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The mirror use case: the narrow workload's orders table on a second server, kept equal to the source by a
 * listener that upserts each inserted or updated row and deletes each deleted one, through a HikariCP pool
 * with Connector/J's statement caches on (server-side prepared statements, cached per connection).
 */
final class MirrorTable implements AutoCloseable {

    static final String SCHEMA = "bench_mirror";
    static final String COLUMNS = "id, customer_id, sku, amount, created_at, status";
    private static final String UPSERT = "INSERT INTO " + SCHEMA + ".orders (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE customer_id = VALUES(customer_id), sku = VALUES(sku), amount = VALUES(amount),"
            + " created_at = VALUES(created_at), status = VALUES(status)";
    private static final String DELETE = "DELETE FROM " + SCHEMA + ".orders WHERE id = ?";
    /** Count and an order-independent checksum of every column of every row. */
    private static final String DIGEST = "SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('|', " + COLUMNS
            + "))), 0) FROM %s.orders";

    private final EmbeddedDatabase target;
    private final HikariDataSource pool;

    MirrorTable(EmbeddedDatabase target, int poolSize, boolean statementCache) {
        this.target = target;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbcUrl(SCHEMA));
        config.setUsername(target.rootUser());
        config.setPassword(target.rootPassword());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        config.setPoolName("mirror");
        if (statementCache) {
            statementCache(config);
        }
        this.pool = new HikariDataSource(config);
    }

    /**
     * Connector/J as HikariCP advises for MySQL: the upsert is prepared once per connection on the server and its
     * parsed form cached on the client, instead of parsed again by both for every row.
     */
    private static void statementCache(HikariConfig config) {
        config.addDataSourceProperty("useServerPrepStmts", "true");
        config.addDataSourceProperty("cachePrepStmts", "true");
        config.addDataSourceProperty("prepStmtCacheSize", "16");
        config.addDataSourceProperty("prepStmtCacheSqlLimit", "2048");
        config.addDataSourceProperty("useLocalSessionState", "true");
        config.addDataSourceProperty("cacheServerConfiguration", "true");
        config.addDataSourceProperty("elideSetAutoCommits", "true");
        config.addDataSourceProperty("maintainTimeStats", "false");
    }

    /** An empty mirror table of the workload's shape (the source table's DDL, in the mirror schema). */
    static void create(EmbeddedDatabase target) {
        target.execute("DROP DATABASE IF EXISTS " + SCHEMA, "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL,"
                        + " sku VARCHAR(32) NOT NULL, amount DECIMAL(12,2) NOT NULL, created_at DATETIME(3) NOT NULL,"
                        + " status TINYINT UNSIGNED NOT NULL)");
    }

    RowHandler<Row> listener(RunContext context) {
        return new RowHandler<>() {
            @Override
            public void onInsert(Row row) throws SQLException {
                upsert(row);
                context.delivered(1);
            }

            @Override
            public void onUpdate(Row before, Row after) throws SQLException {
                if (!before.get(0).equals(after.get(0))) {
                    delete(before);
                }
                upsert(after);
                context.delivered(1);
            }

            @Override
            public void onDelete(Row row) throws SQLException {
                delete(row);
                context.delivered(1);
            }
        };
    }

    private void upsert(Row row) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            for (int i = 0; i < 6; i++) {
                statement.setObject(i + 1, row.get(i));
            }
            statement.executeUpdate();
        }
    }

    private void delete(Row row) throws SQLException {
        try (Connection connection = pool.getConnection(); PreparedStatement statement = connection.prepareStatement(DELETE)) {
            statement.setObject(1, row.get(0));
            statement.executeUpdate();
        }
    }

    /** Fails unless the mirror holds exactly the source table's rows. */
    void assertEqualTo(BenchServer source) throws SQLException {
        String expected;
        try (Connection connection = source.connect()) {
            expected = digest(connection, Workload.SCHEMA);
        }
        String actual;
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(null), target.rootUser(),
                target.rootPassword())) {
            actual = digest(connection, SCHEMA);
        }
        if (!expected.equals(actual)) {
            throw new IllegalStateException("The mirror table differs from the source: source rows/checksum "
                    + expected + ", mirror " + actual);
        }
        System.out.println("Mirror table equals the source table (rows/checksum " + actual + ")");
    }

    private static String digest(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(String.format(DIGEST, schema))) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
