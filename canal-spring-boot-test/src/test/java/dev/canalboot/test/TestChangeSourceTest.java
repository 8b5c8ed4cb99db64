package dev.canalboot.test;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.source.SourceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test-fed source on its own: stamping, polling, acknowledgement, redelivery after a rollback. */
class TestChangeSourceTest {

    private static final TestTable ITEMS = TestTable.builder("shop", "items").primaryKey("id", ColumnType.INT).build();

    private final TestChangeSource source = new TestChangeSource("orders");

    @Test
    void sentEventsCarryTheSourcesNameAndIncreasingPositionsInOneFile() {
        SchemaChange ddl = new SchemaChange("x", "shop", "items", "ALTER TABLE items ADD c INT", SourcePosition.UNKNOWN,
                Instant.EPOCH);
        TransactionBoundary commit = new TransactionBoundary("x", TransactionBoundary.Kind.COMMIT, "42",
                SourcePosition.UNKNOWN, Instant.EPOCH);

        ChangeBatch first = source.send(ITEMS.insert(1), ddl);
        ChangeBatch second = source.send(commit);

        assertThat(first.id()).isEqualTo(1);
        assertThat(second.id()).isEqualTo(2);
        assertThat(first.events()).extracting(ChangeEvent::source).containsOnly("orders");
        assertThat(second.events().get(0).source()).isEqualTo("orders");
        assertThat(first.events()).extracting(ChangeEvent::position).containsExactly(
                new SourcePosition(TestChangeSource.FILE, 104, null), new SourcePosition(TestChangeSource.FILE, 204, null));
        assertThat(second.events().get(0).position()).isEqualTo(new SourcePosition(TestChangeSource.FILE, 304, null));
        RowChange row = (RowChange) first.events().get(0);
        assertThat(row.after().get("id")).isEqualTo(1);
        assertThat(((SchemaChange) first.events().get(1)).sql()).isEqualTo("ALTER TABLE items ADD c INT");
        assertThat(((TransactionBoundary) second.events().get(0)).transactionId()).isEqualTo("42");
    }

    @Test
    void aPollReturnsBatchesInOrderAndNullWhenNoneCameInTime() throws Exception {
        ChangeBatch first = source.send(ITEMS.insert(1));
        ChangeBatch second = source.send(ITEMS.insert(2));

        assertThat(source.poll(Duration.ofMillis(10))).isSameAs(first);
        assertThat(source.poll(Duration.ofMillis(10))).isSameAs(second);
        assertThat(source.poll(Duration.ofMillis(20))).isNull();
    }

    @Test
    void aWaitingPollWakesUpWhenABatchIsSent() throws Exception {
        CompletableFuture<ChangeBatch> polled = CompletableFuture.supplyAsync(() -> {
            try {
                return source.poll(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ChangeBatch batch = source.send(ITEMS.insert(1));

        assertThat(polled.get(30, TimeUnit.SECONDS)).isSameAs(batch);
    }

    @Test
    void aRolledBackBatchComesAgainBeforeTheOthers() throws Exception {
        ChangeBatch first = source.send(ITEMS.insert(1));
        ChangeBatch second = source.send(ITEMS.insert(2));
        ChangeBatch polled = source.poll(Duration.ofMillis(10));

        source.rollback(polled);

        assertThat(source.rolledBack()).containsExactly(first);
        assertThat(source.poll(Duration.ofMillis(10))).isSameAs(first);
        assertThat(source.poll(Duration.ofMillis(10))).isSameAs(second);
    }

    @Test
    void awaitingAnAcknowledgedBatchReturnsAndOtherwiseTimesOutSayingWhatHappened() throws Exception {
        ChangeBatch first = source.send(ITEMS.insert(1));
        ChangeBatch second = source.send(ITEMS.insert(2));
        source.ack(first);
        source.rollback(second);

        source.awaitAcknowledged(first, Duration.ofMillis(10));
        assertThat(source.acknowledged()).containsExactly(first);
        assertThatThrownBy(() -> source.awaitAcknowledged(second, Duration.ofMillis(50)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("Batch 2 ")
                .hasMessageContaining("of test source 'orders' was not acknowledged within PT0.05S; acknowledged: [1],"
                        + " rolled back: [2], source state IDLE");
    }

    @Test
    void anAcknowledgementWakesUpAWaitingTest() throws Exception {
        ChangeBatch batch = source.send(ITEMS.insert(1));
        CompletableFuture<Void> acked = CompletableFuture.runAsync(() -> source.ack(batch));

        source.awaitAcknowledged(batch, Duration.ofSeconds(30));
        acked.get(30, TimeUnit.SECONDS);
    }

    @Test
    void itIsIdleUntilStartedAndStoppedWhenClosed() {
        assertThat(new TestChangeSource().name()).isEqualTo("default");
        assertThat(source.state()).isEqualTo(SourceState.IDLE);
        source.start();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        assertThat(source).hasToString("TestChangeSource[orders, CONNECTED]");
        source.close();
        assertThat(source.state()).isEqualTo(SourceState.STOPPED);
    }
}
