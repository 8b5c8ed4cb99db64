package dev.canalboot.checkpoint;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.StringJoiner;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBC checkpoint store against real MySQL 8.0.31 and MariaDB 11.4.5 (the store contracts on MySQL). */
class JdbcCheckpointStoreIT extends FencedCheckpointStoreContract {

    private final String contractTable = freshTable();

    @Override
    protected FencedCheckpointStore store() {
        return new JdbcCheckpointStore(dataSource(server("mysql"), "checkpoints"), contractTable);
    }

    static EmbeddedDatabase server(String product) {
        return product.equals("mysql") ? TestServers.mysql() : TestServers.mariadb();
    }

    static MysqlDataSource dataSource(EmbeddedDatabase server, String database) {
        server.execute("CREATE DATABASE IF NOT EXISTS " + database);
        MysqlDataSource ds = new MysqlDataSource();
        ds.setUrl(server.jdbcUrl(database));
        ds.setUser(server.rootUser());
        ds.setPassword(server.rootPassword());
        return ds;
    }

    static String freshTable() {
        return "cp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void createsItsTableThenSavesReplacesLoadsAndDeletesPerSource(String product) throws Exception {
        MysqlDataSource ds = dataSource(server(product), "checkpoints");
        String table = freshTable();
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, table);
        assertThat(store.load("orders")).isEmpty();

        Checkpoint first = new Checkpoint("orders", "binlog.000001", 4, null, now);
        Checkpoint other = new Checkpoint("payments", "binlog.000007", 99, "0-1-42,1-2-7", now);
        store.save(first);
        store.save(other);
        Checkpoint second = new Checkpoint("orders", "binlog.000002", 123456789012L,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", now.plusSeconds(5));
        store.save(second);

        // A new store (a restarted application) reads what the old one committed
        JdbcCheckpointStore restarted = new JdbcCheckpointStore(ds, table);
        assertThat(restarted.load("orders")).contains(second);
        assertThat(restarted.load("payments")).contains(other);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            assertThat(rs.getInt(1)).as("one row per source").isEqualTo(2);
        }

        restarted.delete("orders");
        restarted.delete("never-saved");
        assertThat(restarted.load("orders")).isEmpty();
        assertThat(restarted.load("payments")).contains(other);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void anUnchangedSchemaHistoryIsNotWrittenAgain(String product) throws Exception {
        MysqlDataSource ds = dataSource(server(product), "checkpoints");
        String table = freshTable();
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, table);
        String history = "{\"v\":2,\"tables\":[]}";
        store.save(new Checkpoint("orders", "binlog.000001", 4, null, now, null, history));
        // Someone else's value in the column: a save with the same history leaves it, a changed history replaces it.
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + table + " SET schema_history = 'marker'");
        }
        store.save(new Checkpoint("orders", "binlog.000001", 500, null, now, null, new String(history)));
        assertThat(store.load("orders").orElseThrow().position()).isEqualTo(500);
        assertThat(store.load("orders").orElseThrow().schemaHistory()).isEqualTo("marker");
        String changed = "{\"v\":2,\"tables\":[[\"db\",\"t\"]]}";
        store.save(new Checkpoint("orders", "binlog.000001", 900, null, now, null, changed));
        assertThat(new JdbcCheckpointStore(ds, table).load("orders").orElseThrow().schemaHistory()).isEqualTo(changed);
        // After a delete, the next save writes the whole row again.
        store.delete("orders");
        store.save(new Checkpoint("orders", "binlog.000001", 950, null, now, null, changed));
        assertThat(new JdbcCheckpointStore(ds, table).load("orders").orElseThrow().schemaHistory()).isEqualTo(changed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void keepsALongGtidSetAndASchemaQualifiedTable(String product) {
        EmbeddedDatabase server = server(product);
        MysqlDataSource ds = dataSource(server, "checkpoints");
        server.execute("CREATE DATABASE IF NOT EXISTS checkpoints_other");
        String table = "checkpoints_other." + freshTable();
        StringJoiner gtids = new StringJoiner(",");
        for (int i = 0; i < 100; i++) {
            gtids.add(UUID.randomUUID() + ":1-" + (1000 + i) + ":2000-3000");
        }
        Checkpoint cp = new Checkpoint("many-servers", "binlog.000003", 4, gtids.toString(), now);
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, table);
        store.save(cp);
        assertThat(new JdbcCheckpointStore(ds, table).load("many-servers")).contains(cp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aMissingPrivilegeIsAnErrorNamingTheTableAndTheFix(String product) {
        EmbeddedDatabase server = server(product);
        MysqlDataSource root = dataSource(server, "checkpoints");
        server.execute("CREATE USER IF NOT EXISTS cp_reader@'%' IDENTIFIED BY 'cp-reader-pw'",
                "GRANT SELECT ON checkpoints.* TO cp_reader@'%'");
        MysqlDataSource reader = new MysqlDataSource();
        reader.setUrl(root.getUrl());
        reader.setUser("cp_reader");
        reader.setPassword("cp-reader-pw");
        String table = freshTable();
        assertThatThrownBy(() -> new JdbcCheckpointStore(reader, table).load("orders"))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(table).hasMessageContaining("CREATE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aTableOfAnOlderVersionGainsTheServerColumnsItsRowsLoadAndTheNextSaveRecordsTheServer(String product)
            throws Exception {
        MysqlDataSource ds = dataSource(server(product), "checkpoints");
        String table = freshTable();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            // the table as the previous version created it, with a row it saved
            s.execute("CREATE TABLE " + table + " (source_name VARCHAR(200) NOT NULL PRIMARY KEY,"
                    + " binlog_file VARCHAR(255), binlog_position BIGINT NOT NULL, gtid_set VARCHAR(8000),"
                    + " saved_at TIMESTAMP(3) NOT NULL)");
            s.execute("INSERT INTO " + table + " VALUES ('orders', 'binlog.000001', 1934, NULL, '2026-01-02 03:04:05.678')");
        }
        JdbcCheckpointStore store = new JdbcCheckpointStore(ds, table);
        Checkpoint old = store.load("orders").orElseThrow();
        assertThat(old.file()).isEqualTo("binlog.000001");
        assertThat(old.position()).isEqualTo(1934);
        assertThat(old.server()).isNull();

        Checkpoint mysql = new Checkpoint("orders", "binlog.000001", 2000, null, now,
                ServerIdentity.mysql("3e11fa47-71ca-11e1-9e33-c80aa9429562", 7));
        Checkpoint mariaDb = new Checkpoint("payments", "mariadb-bin.000002", 99, "0-1-42", now,
                ServerIdentity.mariaDb(3, 5));
        store.save(mysql);
        store.save(mariaDb);
        JdbcCheckpointStore restarted = new JdbcCheckpointStore(ds, table);
        assertThat(restarted.load("orders")).contains(mysql);
        assertThat(restarted.load("payments")).contains(mariaDb);
        assertThat(restarted.location("orders")).contains(table).contains("orders");

        // the snapshot column came with the migration: progress is saved and loaded with the position
        Checkpoint snapshotting = new Checkpoint("orders", "binlog.000001", 2100, null, now, null, null,
                "v1;tables=shop.orders;key=7;rows=7");
        restarted.save(snapshotting);
        assertThat(new JdbcCheckpointStore(ds, table).load("orders")).contains(snapshotting);
    }
}
