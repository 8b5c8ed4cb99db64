package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.internal.binlog.schema.SchemaState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A checkpoint resumes by GTIDs when it has them, else by file and offset, and compares by place only. */
class BinlogCheckpointTest {

    private static final String UUID_A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String UUID_B = "0b1e5ac5-0000-11e1-9e33-c80aa9429562";
    private static final SchemaState SCHEMA =
            SchemaState.decode("{\"v\":2,\"schemas\":{},\"tables\":[],\"unknown\":[]}");

    @Test
    void publicFaceGivesTheGtidSetAsTheServerWritesIt() {
        BinlogCheckpoint c = new BinlogCheckpoint("binlog.000003", 1934,
                UUID_A.toUpperCase() + ":1-3:4-42," + UUID_B + ":7", null);

        assertThat(c.file()).isEqualTo("binlog.000003");
        assertThat(c.position()).isEqualTo(1934);
        // Parsed, then printed in the server's form: lower case, sorted by UUID, adjacent intervals merged.
        assertThat(c.mysqlGtids()).isEqualTo(UUID_B + ":7," + UUID_A + ":1-42");
        assertThat(c.gtidSet()).isEqualTo(GtidSet.parse(UUID_A + ":1-42," + UUID_B + ":7"));
        assertThat(c.mariaDbGtids()).isNull();
        assertThat(c.snapshot()).isNull();
        assertThat(c.schema()).isNull();
    }

    @Test
    void aMalformedGtidSetIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new BinlogCheckpoint("binlog.000001", 4, "not-a-gtid-set", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resumesByMySqlGtidsFirst() {
        BinlogCheckpoint c = new BinlogCheckpoint("binlog.000003", 1934, UUID_A + ":1-42", "0-1-100");

        assertThat(c.resumePoint()).isEqualTo(new StartPosition.MySqlGtids(GtidSet.parse(UUID_A + ":1-42")));
    }

    @Test
    void resumesByMariaDbGtidsWhenNoMySqlGtidsAreKnown() {
        BinlogCheckpoint c = new BinlogCheckpoint("mariadb-bin.000002", 642, null, "0-1-100,1-2-7");

        assertThat(c.resumePoint()).isEqualTo(new StartPosition.MariaDbGtids("0-1-100,1-2-7"));
    }

    @Test
    void emptyGtidsFallBackToFileAndOffset() {
        BinlogCheckpoint emptyMySql = BinlogCheckpoint.of("binlog.000003", 1934, GtidSet.EMPTY, " ");

        assertThat(emptyMySql.resumePoint()).isEqualTo(new StartPosition.FilePosition("binlog.000003", 1934));
        assertThat(new BinlogCheckpoint("binlog.000003", 157, null, null).resumePoint())
                .isEqualTo(new StartPosition.FilePosition("binlog.000003", 157));
    }

    @Test
    void withNeitherGtidsNorFileThereIsNothingToResumeFrom() {
        BinlogCheckpoint c = BinlogCheckpoint.of(null, 1934, GtidSet.EMPTY, "");

        assertThatThrownBy(c::resumePoint)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Position null:1934 [] [] has neither GTIDs nor a binlog file to resume from");
    }

    @Test
    void equalWhenTheyStandForTheSamePlaceWhateverIsKnownThere() {
        BinlogCheckpoint plain = new BinlogCheckpoint("binlog.000003", 1934, UUID_A + ":1-42", null);
        BinlogCheckpoint withState = plain.withSchema(SCHEMA).withSnapshot("progress");

        assertThat(withState).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(withState.schema()).isSameAs(SCHEMA);
        assertThat(withState.snapshot()).isEqualTo("progress");

        assertThat(new BinlogCheckpoint("binlog.000003", 1935, UUID_A + ":1-42", null)).isNotEqualTo(plain);
        assertThat(new BinlogCheckpoint("binlog.000004", 1934, UUID_A + ":1-42", null)).isNotEqualTo(plain);
        assertThat(new BinlogCheckpoint("binlog.000003", 1934, UUID_A + ":1-43", null)).isNotEqualTo(plain);
        assertThat(new BinlogCheckpoint("binlog.000003", 1934, UUID_A + ":1-42", "0-1-1")).isNotEqualTo(plain);
    }

    @Test
    void withersKeepEverythingElse() {
        BinlogCheckpoint c = BinlogCheckpoint.of("binlog.000003", 1934, GtidSet.parse(UUID_A + ":1-42"), "0-1-9",
                SCHEMA);

        BinlogCheckpoint snapshotting = c.withSnapshot("p1");
        assertThat(snapshotting.schema()).isSameAs(SCHEMA);
        assertThat(snapshotting.mariaDbGtids()).isEqualTo("0-1-9");
        assertThat(snapshotting.withSchema(null).snapshot()).isEqualTo("p1");
        assertThat(snapshotting.withSchema(null).schema()).isNull();
        // The same progress again is the same checkpoint (saved many times while nothing moves).
        assertThat(snapshotting.withSnapshot("p1")).isSameAs(snapshotting);
        assertThat(snapshotting.withSnapshot(null).snapshot()).isNull();
    }

    @Test
    void printsAsFileOffsetAndTheGtidsKnown() {
        assertThat(new BinlogCheckpoint("binlog.000003", 1934, null, null)).hasToString("binlog.000003:1934");
        assertThat(new BinlogCheckpoint("binlog.000003", 1934, UUID_A + ":1-42", null))
                .hasToString("binlog.000003:1934 [" + UUID_A + ":1-42]");
        assertThat(new BinlogCheckpoint("mariadb-bin.000002", 642, null, "0-1-100"))
                .hasToString("mariadb-bin.000002:642 [0-1-100]");
    }
}
