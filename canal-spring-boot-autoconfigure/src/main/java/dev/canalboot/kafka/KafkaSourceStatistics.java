package dev.canalboot.kafka;

import dev.canalboot.source.SourceCounters;
import dev.canalboot.source.SourceStatistics;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The statistics of a {@link KafkaChangeSource}: the {@link SourceCounters} every source keeps, and what only a
 * Kafka source knows: per assigned partition the offsets Kafka reports (the end of the partition and this group's
 * committed offset, as of the source's last check) and the batches given up to a rebalance. Thread-safe.
 */
public final class KafkaSourceStatistics implements SourceStatistics {

    /**
     * Offsets of one partition.
     *
     * @param end       the partition's end offset (last stable offset when reading committed records)
     * @param committed this group's committed offset; {@code null} when it has none yet
     */
    public record PartitionOffsets(@Nullable Long end, @Nullable Long committed) {

        /** Records not yet committed by the group; {@code null} when unknown. */
        public @Nullable Long lag() {
            return end == null || committed == null ? null : Math.max(0, end - committed);
        }
    }

    private final SourceCounters counters;
    private final LongAdder abandonedBatches = new LongAdder();
    private final Map<TopicPartition, PartitionOffsets> partitions = new ConcurrentHashMap<>();

    /** @param counters what the source counts as every source does */
    KafkaSourceStatistics(SourceCounters counters) {
        this.counters = counters;
    }

    @Override
    public @Nullable String server() {
        return counters.server();
    }

    @Override
    public long bytesRead() {
        return counters.bytesRead();
    }

    @Override
    public long reconnects() {
        return counters.reconnects();
    }

    @Override
    public long eventsSkipped() {
        return counters.eventsSkipped();
    }

    @Override
    public @Nullable Instant lastEventTimestamp() {
        return counters.lastEventTimestamp();
    }

    @Override
    public @Nullable Instant lastHeartbeat() {
        return counters.lastHeartbeat();
    }

    @Override
    public @Nullable String stalled() {
        return counters.stalled();
    }

    /**
     * Handed-out batches whose partitions were revoked or lost before they were acknowledged: their changes are
     * delivered again (by the partitions' next owner).
     */
    public long abandonedBatches() {
        return abandonedBatches.sum();
    }

    /** Offsets per assigned partition ({@code topic-partition}, sorted), as of the last check. */
    public Map<String, PartitionOffsets> partitions() {
        Map<String, PartitionOffsets> sorted = new TreeMap<>();
        partitions.forEach((partition, offsets) -> sorted.put(partition.toString(), offsets));
        return sorted;
    }

    /** Records not yet committed, summed over the assigned partitions whose lag is known. */
    public long totalLag() {
        long total = 0;
        for (PartitionOffsets offsets : partitions.values()) {
            Long lag = offsets.lag();
            total += lag == null ? 0 : lag;
        }
        return total;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> perPartition = new LinkedHashMap<>();
        partitions().forEach((partition, offsets) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("endOffset", offsets.end());
            values.put("committedOffset", offsets.committed());
            values.put("lag", offsets.lag());
            perPartition.put(partition, values);
        });
        details.put("partitions", perPartition);
        details.put("recordsLag", totalLag());
        return details;
    }

    void abandoned(int batches) {
        abandonedBatches.add(batches);
    }

    void offsets(TopicPartition partition, @Nullable Long end, @Nullable Long committed) {
        partitions.put(partition, new PartitionOffsets(end, committed));
    }

    void committed(TopicPartition partition, long committed) {
        partitions.computeIfPresent(partition, (p, offsets) -> new PartitionOffsets(offsets.end(),
                offsets.committed() == null ? committed : Math.max(committed, offsets.committed())));
    }

    void retainPartitions(Set<TopicPartition> assigned) {
        partitions.keySet().retainAll(assigned);
    }

    void removePartitions(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
