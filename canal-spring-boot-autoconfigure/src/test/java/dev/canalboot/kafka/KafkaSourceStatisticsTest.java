package dev.canalboot.kafka;

import dev.canalboot.source.SourceCounters;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSourceStatisticsTest {

    static final TopicPartition A0 = new TopicPartition("a", 0);
    static final TopicPartition A1 = new TopicPartition("a", 1);
    static final TopicPartition B0 = new TopicPartition("b", 0);

    final SourceCounters counters = new SourceCounters(() -> "broker-1:9092");
    final KafkaSourceStatistics statistics = new KafkaSourceStatistics(counters);

    @Test
    void theCountersEverySourceKeepsAreTheSourceCounters() {
        counters.bytesRead(100);
        counters.eventSkipped();
        counters.reconnecting();
        counters.lastEventAt(Instant.ofEpochMilli(1_700_000_000_000L));
        counters.heartbeat();
        assertThat(statistics.server()).isEqualTo("broker-1:9092");
        assertThat(statistics.bytesRead()).isEqualTo(100);
        assertThat(statistics.eventsSkipped()).isEqualTo(1);
        assertThat(statistics.reconnects()).isEqualTo(1);
        assertThat(statistics.lastEventTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(statistics.lastHeartbeat()).isNotNull();
        assertThat(statistics.stalled()).isNull();
    }

    @Test
    void lagIsEndMinusCommittedPerPartitionAndUnknownWithoutACommit() {
        statistics.offsets(A0, 10L, 4L);
        statistics.offsets(A1, 7L, null);
        statistics.offsets(B0, 3L, 5L); // committed past a last stable offset: no negative lag
        assertThat(statistics.partitions()).containsOnlyKeys("a-0", "a-1", "b-0");
        assertThat(statistics.partitions().get("a-0").lag()).isEqualTo(6);
        assertThat(statistics.partitions().get("a-1").lag()).isNull();
        assertThat(statistics.partitions().get("b-0").lag()).isZero();
        assertThat(statistics.totalLag()).as("the known lags").isEqualTo(6);
    }

    @Test
    void aCommitMovesTheCommittedOffsetForwardOnlyForAssignedPartitions() {
        statistics.offsets(A0, 10L, 4L);
        statistics.offsets(A1, 10L, null);
        statistics.committed(A0, 8);
        statistics.committed(A0, 6); // an older commit's callback, late
        statistics.committed(A1, 2);
        statistics.committed(B0, 5); // not assigned (revoked meanwhile): not shown
        assertThat(statistics.partitions().get("a-0").committed()).isEqualTo(8);
        assertThat(statistics.partitions().get("a-1").committed()).isEqualTo(2);
        assertThat(statistics.partitions()).doesNotContainKey("b-0");
    }

    @Test
    void revokedAndUnassignedPartitionsAreDropped() {
        statistics.offsets(A0, 1L, 1L);
        statistics.offsets(A1, 1L, 1L);
        statistics.offsets(B0, 1L, 1L);
        statistics.removePartitions(List.of(B0));
        assertThat(statistics.partitions()).containsOnlyKeys("a-0", "a-1");
        statistics.retainPartitions(Set.of(A1));
        assertThat(statistics.partitions()).containsOnlyKeys("a-1");
    }

    @Test
    void detailsShowOffsetsPerPartitionAndTheTotalLag() {
        statistics.offsets(A0, 10L, 4L);
        statistics.offsets(A1, 5L, null);
        Map<String, Object> details = statistics.details();
        assertThat(details).containsEntry("recordsLag", 6L);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> partitions = (Map<String, Map<String, Object>>) details.get("partitions");
        assertThat(partitions).containsOnlyKeys("a-0", "a-1");
        assertThat(partitions.get("a-0")).containsEntry("endOffset", 10L).containsEntry("committedOffset", 4L)
                .containsEntry("lag", 6L);
        assertThat(partitions.get("a-1")).containsEntry("endOffset", 5L).containsEntry("committedOffset", null)
                .containsEntry("lag", null);
    }

    @Test
    void abandonedBatchesAddUp() {
        statistics.abandoned(0);
        statistics.abandoned(2);
        statistics.abandoned(1);
        assertThat(statistics.abandonedBatches()).isEqualTo(3);
    }
}
