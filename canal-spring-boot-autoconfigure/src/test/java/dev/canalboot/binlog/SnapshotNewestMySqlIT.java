package dev.canalboot.binlog;

import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.TestServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SnapshotContract} on the newest MySQL to be had (8.4 or later, GTIDs on): binlog positions come from
 * {@code SHOW BINARY LOG STATUS} there.
 */
class SnapshotNewestMySqlIT extends SnapshotContract {

    @Override
    EmbeddedDatabase server() {
        return TestServers.newestMySql();
    }

    @Override
    boolean mariadb() {
        return false;
    }

    /** MySQL 9's VECTOR: snapshot rows hold the same float arrays as the binlog's insert images and the server's. */
    @Test
    void vectorColumnsSnapshotAsTheBinlogDecodesThem() throws Exception {
        String table = SNAP + ".vectors";
        server().execute("DROP TABLE IF EXISTS " + table,
                "CREATE TABLE " + table + " (id INT PRIMARY KEY, v VECTOR(3), note VARCHAR(10))");
        BinlogChangeSource source = start(settings().start(latest()).build(), CheckpointPolicy.EVERY_BATCH);
        server().execute("INSERT INTO " + table + " VALUES (1, STRING_TO_VECTOR('[1.5,-2,3.25e10]'), 'a'),"
                + " (2, NULL, 'b'), (3, STRING_TO_VECTOR('[0,-0,1e-30]'), 'c')");
        List<RowChange> inserts = pollUntil(source, table, changes -> changes.size() == 3);
        assertThat(source.snapshot(List.of(table))).containsExactly(table);
        List<RowChange> snapshot = pollUntil(source, table, changes -> changes.size() == 3);
        assertThat(snapshot).extracting(RowChange::type).containsOnly(ChangeType.SNAPSHOT);
        try (Connection c = jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, VECTOR_TO_STRING(v) FROM " + table + " ORDER BY id")) {
            for (int i = 0; i < 3; i++) {
                assertThat(rs.next()).isTrue();
                Object fromBinlog = inserts.get(i).after().get("v");
                Object fromSnapshot = snapshot.get(i).after().get("v");
                assertThat(fromSnapshot).as("id %d", i + 1).isEqualTo(fromBinlog);
                String text = rs.getString(2);
                if (text == null) {
                    assertThat(fromSnapshot).isNull();
                } else {
                    float[] floats = (float[]) fromSnapshot;
                    String[] parts = text.substring(1, text.length() - 1).split(",");
                    assertThat(floats).hasSize(parts.length);
                    for (int k = 0; k < parts.length; k++) {
                        assertThat(floats[k]).as("id %d element %d", i + 1, k).isEqualTo(Float.parseFloat(parts[k]));
                    }
                }
            }
        }
    }
}
