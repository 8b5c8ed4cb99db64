package dev.canalboot.binlog;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SnapshotContract} on MariaDB 11.4. */
class SnapshotMariaDbIT extends SnapshotContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.mariadb();
    }

    @Override
    boolean mariadb() {
        return true;
    }

    /**
     * MariaDB's UUID, INET6 and INET4 travel in the binlog as BINARY(16/4); snapshot rows hold the same bytes (those
     * of {@code CAST(col AS BINARY(n))}), also when a UUID is the key the chunks are read by.
     */
    @Test
    void uuidAndInetColumnsSnapshotAsTheBinlogDecodesThem() throws Exception {
        String table = SNAP + ".addresses";
        server().execute("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (u UUID PRIMARY KEY, i6 INET6, i4 INET4, note VARCHAR(10))");
        String values = " VALUES"
                + " ('123e4567-e89b-12d3-a456-426614174000', '2001:db8::ff00:42:8329', '192.168.1.10', 'a'),"
                + " ('6ccd780c-baba-1026-9564-5b8c656024db', '::ffff:1.2.3.4', '0.0.0.1', 'b'),"
                + " ('f81d4fae-7dec-11d0-a765-00a0c91e6bf6', '::', '255.255.255.255', 'c'),"
                + " ('ffffffff-ffff-4fff-bfff-ffffffffffff', NULL, NULL, 'd'),"
                + " ('00000000-0000-0000-0000-000000000001', '1::', '1.2.3.4', 'e')";
        server().execute("INSERT INTO " + table + values);
        BinlogChangeSource source = snapshotting(List.of(table), 2); // 3 chunks, each after a UUID key
        List<RowChange> snapshot = pollUntil(source, table, changes -> changes.size() == 5);
        // The same rows again through the stream: their insert images.
        server().execute("DELETE FROM " + table, "INSERT INTO " + table + values);
        List<RowChange> inserts = pollUntil(source, table, changes -> changes.stream()
                .filter(c -> c.type() == ChangeType.INSERT).count() == 5).stream()
                .filter(c -> c.type() == ChangeType.INSERT).toList();
        assertThat(snapshot).extracting(RowChange::type).containsOnly(ChangeType.SNAPSHOT);
        Row first = snapshot.get(0).after();
        assertThat(first.schema().column(first.schema().indexOf("u")).type()).isEqualTo(ColumnType.BINARY);
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT HEX(CAST(u AS BINARY(16))), HEX(CAST(i6 AS BINARY(16))),"
                     + " HEX(CAST(i4 AS BINARY(4))) FROM " + table)) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                String u = rs.getString(1).toLowerCase();
                Row fromSnapshot = snapshot.stream().map(RowChange::after)
                        .filter(r -> HexFormat.of().formatHex((byte[]) r.get("u")).equals(u)).findFirst().orElseThrow();
                Row fromBinlog = inserts.stream().map(RowChange::after)
                        .filter(r -> HexFormat.of().formatHex((byte[]) r.get("u")).equals(u)).findFirst().orElseThrow();
                for (String column : List.of("u", "i6", "i4", "note")) {
                    assertThat(fromSnapshot.get(column)).as("%s of %s", column, u).isEqualTo(fromBinlog.get(column));
                }
                assertThat(fromSnapshot.get("i6") == null ? null : HexFormat.of().formatHex((byte[]) fromSnapshot.get("i6")))
                        .isEqualTo(rs.getString(2) == null ? null : rs.getString(2).toLowerCase());
                assertThat(fromSnapshot.get("i4") == null ? null : HexFormat.of().formatHex((byte[]) fromSnapshot.get("i4")))
                        .isEqualTo(rs.getString(3) == null ? null : rs.getString(3).toLowerCase());
            }
            assertThat(rows).isEqualTo(5);
        }
    }

}
