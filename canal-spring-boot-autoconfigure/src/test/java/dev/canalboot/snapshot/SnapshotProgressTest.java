package dev.canalboot.snapshot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotProgressTest {

    @Test
    void encodesAndDecodesTablesKeysWithSeparatorsAndRows() {
        SnapshotProgress p = new SnapshotProgress(List.of("shop.orders", "weird;schema.t,1"),
                List.of("42", "_utf8mb4 X'2c3b3d'", "'2024-01-01 00:00:00'"), 1234);
        SnapshotProgress back = SnapshotProgress.decode(p.encode());
        assertThat(back).isEqualTo(p);
        assertThat(back.currentTable()).isEqualTo("shop.orders");
    }

    @Test
    void aTableNotStartedHasNoKey() {
        SnapshotProgress p = new SnapshotProgress(List.of("a.b"), null, 0);
        assertThat(SnapshotProgress.decode(p.encode())).isEqualTo(p);
        assertThat(SnapshotProgress.decode(null)).isNull();
    }

    @Test
    void movesOnChunkByChunkAndTableByTable() {
        SnapshotProgress p = new SnapshotProgress(List.of("a.b", "a.c"), null, 0);
        SnapshotProgress afterChunk = p.after(List.of("10"), 10);
        assertThat(afterChunk.lastKey()).containsExactly("10");
        assertThat(afterChunk.rowsDone()).isEqualTo(10);
        SnapshotProgress next = afterChunk.nextTable();
        assertThat(next.tables()).containsExactly("a.c");
        assertThat(next.lastKey()).isNull();
        assertThat(next.nextTable()).isNull();
    }

    @Test
    void doneIsNoProgressToResume() {
        assertThat(SnapshotProgress.isDone(SnapshotProgress.DONE)).isTrue();
        assertThat(SnapshotProgress.decode(SnapshotProgress.DONE)).isNull();
        assertThat(SnapshotProgress.isDone(new SnapshotProgress(List.of("a.b"), null, 0).encode())).isFalse();
    }

    @Test
    void anotherVersionIsAnError() {
        assertThatThrownBy(() -> SnapshotProgress.decode("v9;tables=a.b")).hasMessageContaining("v9");
    }

    @Test
    void binlogFilesOrderByTheirNumber() {
        assertThat(new BinlogPoint("binlog.999999", 5)).isLessThan(new BinlogPoint("binlog.1000000", 4));
        assertThat(new BinlogPoint("binlog.000002", 5)).isLessThan(new BinlogPoint("binlog.000002", 6));
        assertThat(new BinlogPoint("binlog.000003", 4)).isGreaterThan(new BinlogPoint("binlog.000002", 900));
    }
}
