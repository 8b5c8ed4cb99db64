package dev.canalboot.actuate;

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

    public CanalHealthContributor(SourceMonitors monitors, Duration lagThreshold, Duration disconnectGracePeriod) {
        this.monitors = monitors;
        this.lagThreshold = lagThreshold;
        this.disconnectGracePeriod = disconnectGracePeriod;
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
        return new SourceHealthIndicator(monitor, lagThreshold, disconnectGracePeriod);
    }
}
