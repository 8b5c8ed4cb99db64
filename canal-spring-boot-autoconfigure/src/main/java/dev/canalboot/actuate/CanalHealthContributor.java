package dev.canalboot.actuate;

import dev.canalboot.ha.SourceLeadership;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * The {@code canal} health contributor: one {@link SourceHealthIndicator} per source with a listener
 * container, looked up at each health check (containers are created after this bean).
 */
public class CanalHealthContributor implements CompositeHealthContributor {

    private final SourceMonitors monitors;
    private final Duration lagThreshold;
    private final Duration disconnectGracePeriod;
    private final Function<String, SourceLeadership> leaderships;

    public CanalHealthContributor(SourceMonitors monitors, Duration lagThreshold, Duration disconnectGracePeriod) {
        this(monitors, lagThreshold, disconnectGracePeriod, source -> null);
    }

    /** @param leaderships a source's high availability in this instance, or null when it has none */
    public CanalHealthContributor(SourceMonitors monitors, Duration lagThreshold, Duration disconnectGracePeriod,
                                  Function<String, @Nullable SourceLeadership> leaderships) {
        this.monitors = monitors;
        this.lagThreshold = lagThreshold;
        this.disconnectGracePeriod = disconnectGracePeriod;
        this.leaderships = leaderships;
    }

    @Override
    public HealthContributor getContributor(String name) {
        SourceMonitor monitor = monitors.get(name);
        return monitor == null ? null : indicator(monitor);
    }

    @Override
    public Stream<Entry> stream() {
        return monitors.all().stream().map(monitor -> new Entry(monitor.name(), indicator(monitor)));
    }

    private SourceHealthIndicator indicator(SourceMonitor monitor) {
        return new SourceHealthIndicator(monitor, lagThreshold, disconnectGracePeriod,
                leaderships.apply(monitor.name()));
    }
}
