package dev.canalboot.snapshot;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a snapshot reports of itself: per table rows, chunks, rate and ETA; the state; the endpoint's map. */
class SnapshotStatusTest {

    private final SnapshotStatus status = new SnapshotStatus(List.of("shop.orders", "shop.items"));

    @Test
    void aResumedTableCountsEarlierRowsButRatesOnlyThisRun() throws InterruptedException {
        SnapshotStatus.Table orders = status.start("shop.orders", 1_000, 400);
        assertThat(orders.rowsDone()).isEqualTo(400);
        assertThat(orders.eta()).as("no rate yet").isNull();
        Thread.sleep(20);
        orders.chunk(100);
        orders.chunk(100);

        assertThat(orders.rowsDone()).isEqualTo(600);
        assertThat(orders.chunks()).isEqualTo(2);
        double seconds = orders.elapsed().toNanos() / 1e9;
        assertThat(orders.rate()).isBetween(200 / (seconds + 1), 200 / seconds);
        assertThat(orders.eta()).isPositive().isLessThan(Duration.ofMillis((long) (400 / orders.rate() * 1000) + 2));
        assertThat(orders.done()).isFalse();
        assertThat(status.rowsDone()).isEqualTo(600);
        assertThat(status.chunks()).isEqualTo(2);
        assertThat(status.tablesDone()).isZero();

        orders.end(600);
        assertThat(orders.done()).isTrue();
        assertThat(orders.eta()).isEqualTo(Duration.ZERO);
        Duration elapsed = orders.elapsed();
        Thread.sleep(5);
        assertThat(orders.elapsed()).as("stopped at the end").isEqualTo(elapsed);
        assertThat(status.tablesDone()).isEqualTo(1);
    }

    @Test
    void anEstimateBelowTheRowsDoneGivesNoEta() {
        SnapshotStatus.Table items = status.start("shop.items", 10, 0);
        items.chunk(50);
        assertThat(items.eta()).isNull();
    }

    @Test
    void stateAndTheEndpointsMap() {
        assertThat(status.state()).isEqualTo("RUNNING");
        assertThat(status.table("shop.orders")).isNull();
        status.start("shop.orders", 5, 0).chunk(5);

        Map<String, Object> running = status.describe();
        assertThat(running).containsEntry("state", "RUNNING").containsEntry("tables", List.of("shop.orders", "shop.items"))
                .doesNotContainKey("error");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> progress = (Map<String, Map<String, Object>>) running.get("progress");
        assertThat(progress).containsOnlyKeys("shop.orders");
        assertThat(progress.get("shop.orders")).containsEntry("rowsDone", 5L).containsEntry("estimatedRows", 5L)
                .containsEntry("chunks", 1L).containsEntry("done", false).containsKeys("rowsPerSecond", "eta");

        status.ended(new SnapshotException("table gone"));
        assertThat(status.state()).isEqualTo("FAILED");
        assertThat(status.describe()).containsEntry("state", "FAILED").containsEntry("error", "table gone");
        status.ended(null);
        assertThat(status.describe()).containsEntry("state", "DONE").doesNotContainKey("error");
    }
}
