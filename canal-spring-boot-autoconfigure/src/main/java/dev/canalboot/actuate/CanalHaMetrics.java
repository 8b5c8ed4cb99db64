package dev.canalboot.actuate;

import dev.canalboot.ha.HaRole;
import dev.canalboot.ha.SourceLeadership;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Meters of high availability, per source under it (tags {@code source}, {@code mode}):
 * {@code canal.ha.leader} (1 while this instance leads, else 0), {@code canal.ha.elections} (times this instance
 * became the leader) and {@code canal.ha.leader.time} (seconds this instance led).
 */
public class CanalHaMetrics implements MeterBinder {

    private final Map<String, String> modes;
    private final Function<String, SourceLeadership> leaderships;

    /**
     * @param modes       the sources under high availability and their modes
     * @param leaderships a source's leadership once the elections run (null before)
     */
    public CanalHaMetrics(Map<String, String> modes, Function<String, SourceLeadership> leaderships) {
        this.modes = Map.copyOf(modes);
        this.leaderships = leaderships;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        modes.forEach((source, mode) -> {
            Gauge.builder("canal.ha.leader", this, of(source, l -> l.getRole() == HaRole.LEADER ? 1 : 0))
                    .description("1 while this instance leads the source, 0 while it stands by")
                    .tags("source", source, "mode", mode).register(registry);
            FunctionCounter.builder("canal.ha.elections", this, of(source, SourceLeadership::getElections))
                    .description("Times this instance became the source's leader")
                    .tags("source", source, "mode", mode).register(registry);
            FunctionCounter.builder("canal.ha.leader.time", this,
                            of(source, l -> l.getTimeAsLeader().toNanos() / 1e9))
                    .description("Time this instance led the source").baseUnit("seconds")
                    .tags("source", source, "mode", mode).register(registry);
        });
    }

    private ToDoubleFunction<CanalHaMetrics> of(String source, ToDoubleFunction<SourceLeadership> value) {
        return metrics -> {
            SourceLeadership leadership = leaderships.apply(source);
            return leadership == null ? 0 : value.applyAsDouble(leadership);
        };
    }
}
