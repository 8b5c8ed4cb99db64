package dev.canalboot.snapshot;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watermark merge on its own: which chunk rows are delivered, where in the stream, and which are dropped
 * because the stream changed their key in the chunk's window.
 */
class SnapshotMergerTest {

    private static final SnapshotTable T = new SnapshotTable("shop", "orders", List.of(
            new SnapshotTable.ColumnInfo("id", "bigint", "bigint", null, true),
            new SnapshotTable.ColumnInfo("v", "varchar", "varchar(20)", "utf8mb4", false)), List.of("id"));
    private static final SnapshotTable OTHER = new SnapshotTable("shop", "items", List.of(
            new SnapshotTable.ColumnInfo("id", "bigint", "bigint", null, true),
            new SnapshotTable.ColumnInfo("v", "varchar", "varchar(20)", "utf8mb4", false)), List.of("id"));
    private static final BinlogPoint AT_100 = new BinlogPoint("binlog.000001", 100);
    private static final BinlogPoint AT_200 = new BinlogPoint("binlog.000001", 200);

    private final SnapshotProgress start = new SnapshotProgress(List.of("shop.orders"), null, 0);
    private final SnapshotMerger merger = new SnapshotMerger("src", start);

    @Test
    void chunkWaitsForTheStreamToPassItsHighPointThenComesAfterThatBatch() {
        merger.open(T);
        merger.close(List.of(row(T, 1, "a"), row(T, 2, "b")), AT_200, start.after(List.of("2"), 2));

        List<ChangeEvent> before = List.of(update(T, 9, "x"));
        assertThat(merger.merge(before, AT_100, null)).isSameAs(before);
        assertThat(merger.waiting()).isTrue();

        List<ChangeEvent> batch = List.of(update(T, 8, "y"));
        List<ChangeEvent> merged = merger.merge(batch, AT_200, null);
        assertThat(merged).hasSize(3);
        assertThat(merged.get(0)).isSameAs(batch.get(0));
        assertThat(merged.subList(1, 3)).allSatisfy(e -> {
            RowChange r = (RowChange) e;
            assertThat(r.type()).isEqualTo(ChangeType.SNAPSHOT);
            assertThat(r.before()).isNull();
            assertThat(r.position().file()).isEqualTo("binlog.000001");
            assertThat(r.position().offset()).isEqualTo(200);
        });
        assertThat(merger.waiting()).isFalse();
        assertThat(merger.progress().lastKey()).containsExactly("2");
        assertThat(merger.emittedRows()).isEqualTo(2);
    }

    @Test
    void rowWhoseKeyTheStreamChangedAfterTheChunkOpenedIsDropped() {
        merger.open(T);
        merger.merge(List.of(update(T, 1, "new")), AT_100, null);
        merger.merge(List.of(update(OTHER, 2, "other table")), AT_100, null);
        merger.close(List.of(row(T, 1, "old"), row(T, 2, "b")), AT_200, start.after(List.of("2"), 2));

        List<RowChange> delivered = merger.idle(AT_200, null);
        assertThat(delivered).extracting(r -> r.after().getLong("id")).containsExactly(2L);
        assertThat(merger.droppedRows()).isEqualTo(1);
    }

    @Test
    void withoutLookBackAChangeDeliveredBeforeTheChunkOpenedDoesNotCount() {
        merger.merge(List.of(update(T, 1, "before the chunk")), AT_100, null);
        merger.open(T);
        merger.close(List.of(row(T, 1, "before the chunk")), AT_200, start.nextTable());

        assertThat(merger.idle(AT_200, null)).hasSize(1);
        assertThat(merger.droppedRows()).isZero();
    }

    @Test
    void withLookBackAChangeDeliveredJustBeforeTheChunkOpenedDropsItsRow() {
        // MySQL without GTIDs: the stream delivered the change, but its transaction may not have been committed in
        // InnoDB when the chunk's SELECT began, so the row read may be the older one. The stream's image stands.
        merger.lookBack(Duration.ofSeconds(30));
        merger.open(T);
        merger.close(List.of(row(T, 5, "a")), AT_100, start.after(List.of("5"), 1));
        assertThat(merger.idle(AT_100, null)).hasSize(1);

        merger.merge(List.of(update(T, 7, "between chunks")), AT_100, null);
        merger.open(T);
        merger.close(List.of(row(T, 6, "b"), row(T, 7, "stale?")), AT_200, start.after(List.of("7"), 3));

        assertThat(merger.idle(AT_200, null)).extracting(r -> r.after().getLong("id")).containsExactly(6L);
        assertThat(merger.droppedRows()).isEqualTo(1);
    }

    @Test
    void lookBackForgetsChangesOlderThanItself() throws InterruptedException {
        merger.lookBack(Duration.ofMillis(20));
        merger.open(T);
        merger.close(List.of(row(T, 5, "a")), AT_100, start.after(List.of("5"), 1));
        merger.idle(AT_100, null);

        merger.merge(List.of(update(T, 7, "long ago")), AT_100, null);
        Thread.sleep(100);
        merger.open(T);
        merger.close(List.of(row(T, 7, "v")), AT_200, start.nextTable());

        assertThat(merger.idle(AT_200, null)).hasSize(1);
    }

    @Test
    void lookBackRecordsOnlyTheTableBeingRead() {
        merger.lookBack(Duration.ofSeconds(30));
        merger.open(T);
        merger.close(List.of(row(T, 5, "a")), AT_100, start.after(List.of("5"), 1));
        merger.idle(AT_100, null);

        merger.merge(List.of(update(OTHER, 7, "another table")), AT_100, null);
        merger.open(T);
        merger.close(List.of(row(T, 7, "v")), AT_200, start.nextTable());

        assertThat(merger.idle(AT_200, null)).hasSize(1);
    }

    @Test
    void ddlOfTheTableInTheWindowDiscardsTheChunk() throws InterruptedException {
        merger.open(T);
        merger.close(List.of(row(T, 1, "a")), AT_200, start.nextTable());
        SchemaChange ddl = new SchemaChange("src", "shop", "orders", "ALTER TABLE orders ADD c INT",
                new SourcePosition("binlog.000001", 150, null), Instant.now());
        assertThat(merger.merge(List.of(ddl), AT_200, null)).containsExactly(ddl);
        assertThat(merger.awaitDelivered()).isFalse();
        assertThat(merger.emittedRows()).isZero();
        assertThat(merger.progress()).isEqualTo(start);
    }

    @Test
    void ddlOfTheTableBetweenChunksOfOneShapeDiscardsTheNextChunk() throws InterruptedException {
        merger.open(T);
        SnapshotProgress afterFirst = start.after(List.of("1"), 1);
        merger.close(List.of(row(T, 1, "a")), AT_100, afterFirst);
        assertThat(merger.idle(AT_100, null)).hasSize(1);
        // No chunk open: the ALTER comes between the chunks (after the first chunk's column check).
        SchemaChange ddl = new SchemaChange("src", "shop", "orders", "ALTER TABLE orders ADD c INT",
                new SourcePosition("binlog.000001", 150, null), Instant.now());
        assertThat(merger.merge(List.of(ddl), AT_100, null)).containsExactly(ddl);
        merger.open(T); // the same shape: its next chunk was read without a column check
        merger.close(List.of(row(T, 2, "b")), AT_200, start.nextTable());
        assertThat(merger.idle(AT_200, null)).isEmpty();
        assertThat(merger.awaitDelivered()).isFalse();
        assertThat(merger.progress()).isEqualTo(afterFirst);

        SnapshotTable reread = new SnapshotTable("shop", "orders", T.columns, List.of("id")); // the shape read again
        merger.open(reread);
        merger.close(List.of(row(reread, 2, "b")), AT_200, start.nextTable());
        assertThat(merger.idle(AT_200, null)).as("a new shape starts without the old DDL").hasSize(1);
        assertThat(merger.awaitDelivered()).isTrue();
    }

    @Test
    void ddlOfAnotherTableBetweenChunksIsNoConcern() throws InterruptedException {
        merger.open(T);
        merger.close(List.of(row(T, 1, "a")), AT_100, start.after(List.of("1"), 1));
        assertThat(merger.idle(AT_100, null)).hasSize(1);
        SchemaChange ddl = new SchemaChange("src", "shop", "items", "ALTER TABLE items ADD c INT",
                new SourcePosition("binlog.000001", 150, null), Instant.now());
        merger.merge(List.of(ddl), AT_100, null);
        merger.open(T);
        merger.close(List.of(row(T, 2, "b")), AT_200, start.nextTable());
        assertThat(merger.idle(AT_200, null)).hasSize(1);
        assertThat(merger.awaitDelivered()).isTrue();
    }

    @Test
    void completionRunsWhenTheBatchCarryingTheLastChunkTakesTheProgressNotBefore() {
        int[] completed = new int[1];
        merger.onComplete(() -> completed[0]++);
        merger.open(T);
        merger.close(List.of(row(T, 1, "a")), AT_100, start.after(List.of("1"), 1));
        merger.idle(AT_100, null);
        assertThat(merger.progressForBatch()).isNotNull();
        merger.open(T);
        merger.close(List.of(row(T, 2, "b")), AT_200, start.nextTable());
        assertThat(merger.idle(AT_200, null)).hasSize(1);
        assertThat(completed[0]).as("the last chunk is merged, its batch not yet handed out").isZero();

        assertThat(merger.progressForBatch()).isNull();
        assertThat(completed[0]).isEqualTo(1);
        merger.progressForBatch();
        assertThat(completed[0]).as("once").isEqualTo(1);
    }

    @Test
    void aSecondChunkWhileOneIsInFlightIsRefused() {
        merger.open(T);
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> merger.open(T))
                .withMessageContaining("shop.orders");
    }

    private static Row row(SnapshotTable t, long id, String v) {
        return new Row(t.tableSchema, new Object[] {id, v});
    }

    private static RowChange update(SnapshotTable t, long id, String v) {
        return new RowChange("src", t.tableSchema, ChangeType.UPDATE, row(t, id, "old"), row(t, id, v),
                new SourcePosition("binlog.000001", 50, null), Instant.now());
    }
}
