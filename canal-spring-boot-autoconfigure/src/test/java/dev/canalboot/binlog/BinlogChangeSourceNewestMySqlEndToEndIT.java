package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.embedded.EmbeddedMySql;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The end-to-end contract against the newest MySQL to be had (8.4 or later), where the binlog position is
 * only told by {@code SHOW BINARY LOG STATUS} and the replica-side "master" names are gone.
 */
class BinlogChangeSourceNewestMySqlEndToEndIT extends EndToEndContract {

    @BeforeEach
    void schema() {
        createSchema();
    }

    @Override
    EmbeddedMySql server() {
        return TestServers.newestMySql();
    }

    @Override
    String binlogStatusStatement() {
        return "SHOW BINARY LOG STATUS";
    }

    @Override
    StartPosition gtidStartNow() throws Exception {
        return new StartPosition.MySqlGtids(GtidSet.parse(executedGtids()));
    }

    @Override
    boolean checkpointContains(BinlogCheckpoint checkpoint, String gtid) {
        return checkpoint.mysqlGtids().contains(gtid);
    }

    String executedGtids() throws Exception {
        try (Connection c = jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@global.gtid_executed")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theServerIsAtLeast84AndNoLongerKnowsShowMasterStatus() throws Exception {
        String[] version = server().version().split("\\.");
        assertThat(Integer.parseInt(version[0]) * 100 + Integer.parseInt(version[1])).isGreaterThanOrEqualTo(804);
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SHOW MASTER STATUS")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void startingAtTheCurrentPositionFindsItWithShowBinaryLogStatus() throws Exception {
        String[] before = masterStatus();
        String gtidsBefore = executedGtids();
        BinlogChangeSource source = start(settings().start(new StartPosition.Latest()).build());
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (20, 'at-latest', 12.34)");
        List<ChangeEvent> events = pollUntil(source, commits(1));
        List<RowChange> rows = rows(events);
        assertThat(rows).hasSize(1);
        RowChange insert = rows.get(0);
        assertThat(insert.type()).isEqualTo(ChangeType.INSERT);
        assertThat(insert.after().get("id")).isEqualTo(20);
        assertThat(insert.after().get("item")).isEqualTo("at-latest");
        assertThat(insert.after().get("amount")).isInstanceOf(BigDecimal.class);
        assertThat(insert.after().getBigDecimal("amount")).isEqualByComparingTo("12.34");
        // The first event is the first one written after the position the source discovered
        assertThat(events.get(0).position().file()).isEqualTo(before[0]);
        assertThat(events.get(0).position().offset()).isGreaterThanOrEqualTo(Long.parseLong(before[1]));
        String gtid = events.get(0).position().gtid();
        assertThat(GtidSet.parse(gtidsBefore).contains(gtid)).isFalse();
        assertThat(GtidSet.parse(executedGtids()).contains(gtid)).isTrue();
        assertThat(source.acknowledgedPosition().mysqlGtids()).isEqualTo(GtidSet.parse(executedGtids()));
        assertThat(source.acknowledgedPosition().file()).isEqualTo(masterStatus()[0]);
        assertThat(source.acknowledgedPosition().position()).isEqualTo(Long.parseLong(masterStatus()[1]));
    }

    @Test
    void startingAtTheEarliestPositionReplaysFromTheFirstBinlogFile() throws Exception {
        server().execute("REPLACE INTO " + SCHEMA + ".orders VALUES (21, 'from-earliest', 1)");
        String firstFile;
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            rs.next();
            firstFile = rs.getString("Log_name");
        }
        BinlogChangeSource source = start(settings().start(new StartPosition.Earliest()).build());
        List<ChangeEvent> events = pollUntil(source, so -> rows(so).stream()
                .filter(row -> row.qualifiedTable().equals(SCHEMA + ".orders"))
                .anyMatch(row -> "from-earliest".equals(row.row().getString("item"))));
        assertThat(events.get(0).position().file()).isEqualTo(firstFile);
    }

    @Test
    void theNativePasswordAccountIsNotOfferedWhereThePluginIsOffOrGone() {
        EmbeddedDatabase server = server();
        assertThat(server.users()).extracting(user -> user.authPlugin()).containsExactly("caching_sha2_password");
        assertThatThrownBy(server::nativePasswordUser).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mysql_native_password");
    }

    /**
     * MySQL 9's VECTOR: one metadata byte in the table map (its length prefix), the value its little-endian floats.
     * The columns after it decode too, which they would not if the metadata were misread.
     */
    @Test
    void vectorColumnsArriveAsFloatArrays() throws Exception {
        server().execute("DROP TABLE IF EXISTS " + SCHEMA + ".vec", "CREATE TABLE " + SCHEMA
                + ".vec (id INT PRIMARY KEY, v VECTOR(3), note VARCHAR(20), d DECIMAL(10,2), w VECTOR(2))");
        BinlogChangeSource source = start(settings().build());
        server().execute("INSERT INTO " + SCHEMA + ".vec VALUES (1, STRING_TO_VECTOR('[1.5,-2,3.25e10]'), 'after',"
                + " 12.50, STRING_TO_VECTOR('[0,1]'))", "INSERT INTO " + SCHEMA + ".vec VALUES (2, NULL, 'n', 1, NULL)",
                "UPDATE " + SCHEMA + ".vec SET v = STRING_TO_VECTOR('[7,8,9]') WHERE id = 1");
        List<RowChange> rows = rows(pollUntil(source, events -> rows(events).size() >= 3));
        assertThat(rows.get(0).tableSchema().column(rows.get(0).tableSchema().indexOf("v")).type()).isEqualTo(dev.canalboot.model.ColumnType.VECTOR);
        assertThat((float[]) rows.get(0).after().get("v")).containsExactly(1.5f, -2f, 3.25e10f);
        assertThat(rows.get(0).after().getString("note")).isEqualTo("after");
        assertThat(rows.get(0).after().getBigDecimal("d")).isEqualByComparingTo("12.50");
        assertThat((float[]) rows.get(0).after().get("w")).containsExactly(0f, 1f);
        assertThat(rows.get(1).after().get("v")).isNull();
        assertThat(rows.get(1).after().getString("note")).isEqualTo("n");
        assertThat((float[]) rows.get(2).before().get("v")).containsExactly(1.5f, -2f, 3.25e10f);
        assertThat((float[]) rows.get(2).after().get("v")).containsExactly(7f, 8f, 9f);
    }
}
