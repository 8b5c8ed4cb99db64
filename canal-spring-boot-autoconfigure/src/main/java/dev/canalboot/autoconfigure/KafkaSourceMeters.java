package dev.canalboot.autoconfigure;

import dev.canalboot.kafka.KafkaChangeSource;
import dev.canalboot.kafka.KafkaSourceStatistics;
import dev.canalboot.source.ChangeSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Meters of the Kafka sources beyond the {@code canal.*} ones every source has: the group's lag in records over the
 * assigned partitions, and the batches handed back on a rebalance or a lost connection (read again).
 */
class KafkaSourceMeters implements SmartInitializingSingleton {

    private final MeterRegistry registry;
    private final ObjectProvider<ChangeSource> sources;

    KafkaSourceMeters(MeterRegistry registry, ObjectProvider<ChangeSource> sources) {
        this.registry = registry;
        this.sources = sources;
    }

    @Override
    public void afterSingletonsInstantiated() {
        sources.orderedStream().filter(KafkaChangeSource.class::isInstance).map(KafkaChangeSource.class::cast)
                .forEach(source -> {
                    KafkaSourceStatistics statistics = source.statistics();
                    Gauge.builder("canal.kafka.records.lag", statistics, KafkaSourceStatistics::totalLag)
                            .tag("source", source.name())
                            .description("Records of the assigned partitions not yet committed by the consumer group,"
                                    + " as of the source's last check")
                            .baseUnit("records")
                            .register(registry);
                    FunctionCounter.builder("canal.kafka.batches.abandoned", statistics,
                                    KafkaSourceStatistics::abandonedBatches)
                            .tag("source", source.name())
                            .description("Unfinished batches whose partitions were revoked or lost: read again")
                            .register(registry);
                });
    }
}
