package dev.canalboot.actuate;

import dev.canalboot.ha.HaRole;
import dev.canalboot.ha.SourceLeadership;
import dev.canalboot.listener.container.ContainerState;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.source.SourceState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;

/**
 * Health of one source:
 * <ul>
 * <li>{@code DOWN}: the container stopped on an error, the source failed, it has been without a
 * connection for longer than the grace period, or its server stopped delivering although the database moves on
 * ({@link dev.canalboot.source.SourceStatistics#stalled()}, detail {@code stalled});</li>
 * <li>{@link #LAGGING}: connected (or within the grace period) but the lag exceeds the threshold;</li>
 * <li>{@code UP}: connected and the lag is within the threshold (or not known yet), or reconnecting
 * for less than the grace period;</li>
 * <li>{@code UNKNOWN}: the container is not running (not started yet, or stopped on request).</li>
 * </ul>
 * Under high availability a standby whose container does not run is {@code UP}; details {@code role},
 * {@code leader} and {@code epoch} tell who reads the source.
 * Details: states, position of the last delivered change, lag, last error message (without
 * credentials).
 */
public class SourceHealthIndicator implements HealthIndicator {

    /** Connected but behind by more than the lag threshold. HTTP 200 unless mapped otherwise. */
    public static final Status LAGGING = new Status("LAGGING", "Connected but behind by more than the lag threshold");

    private final SourceMonitor monitor;
    private final Duration lagThreshold;
    private final Duration disconnectGracePeriod;
    /** The source's high availability in this instance, or null when it has none. */
    private final SourceLeadership leadership;

    public SourceHealthIndicator(SourceMonitor monitor, Duration lagThreshold, Duration disconnectGracePeriod) {
        this(monitor, lagThreshold, disconnectGracePeriod, null);
    }

    public SourceHealthIndicator(SourceMonitor monitor, Duration lagThreshold, Duration disconnectGracePeriod,
                                 SourceLeadership leadership) {
        this.monitor = monitor;
        this.lagThreshold = lagThreshold;
        this.disconnectGracePeriod = disconnectGracePeriod;
        this.leadership = leadership;
    }

    @Override
    public Health health() {
        ContainerState containerState = monitor.containerState();
        SourceState sourceState = monitor.sourceState();
        Duration disconnectedFor = monitor.disconnectedFor();
        Duration lag = monitor.lag();
        String stalled = monitor.statistics().stalled();

        Health.Builder builder;
        if (leadership != null && leadership.getRole() == HaRole.STANDBY && containerState != ContainerState.RUNNING
                && containerState != ContainerState.PAUSED) {
            builder = Health.up(); // standing by is this instance's job while another one reads the source
        } else if (containerState == ContainerState.FAILED || sourceState == SourceState.FAILED) {
            builder = Health.down();
        } else if (containerState == ContainerState.STOPPED || containerState == ContainerState.STOPPING) {
            builder = Health.unknown();
        } else if (stalled != null) {
            builder = Health.down().withDetail("stalled", stalled);
        } else if (disconnectedFor.compareTo(disconnectGracePeriod) > 0) {
            builder = Health.down().withDetail("disconnectedFor", disconnectedFor.toString());
        } else if (lag != null && lag.compareTo(lagThreshold) > 0) {
            builder = Health.status(LAGGING).withDetail("lagThreshold", lagThreshold.toString());
        } else {
            builder = Health.up();
            if (!disconnectedFor.isZero()) {
                builder.withDetail("disconnectedFor", disconnectedFor.toString());
            }
        }
        builder.withDetail("sourceState", sourceState.name())
                .withDetail("containerState", containerState.name());
        if (leadership != null) {
            builder.withDetail("role", leadership.getRole().name().toLowerCase(java.util.Locale.ROOT));
            leadership.getLeader().ifPresent(leader -> builder.withDetail("leader", leader.holder())
                    .withDetail("epoch", leader.value()));
        }
        String server = Redaction.redact(monitor.statistics().server());
        if (server != null) {
            builder.withDetail("server", server);
        }
        SourcePosition position = monitor.position();
        if (position != null && !SourcePosition.UNKNOWN.equals(position)) {
            builder.withDetail("position", position.toString());
        }
        if (lag != null) {
            builder.withDetail("lag", lag.toString()).withDetail("lagMillis", lag.toMillis());
        }
        monitor.statistics().details().forEach(builder::withDetail); // e.g. a Kafka source's offsets per partition
        String error = monitor.lastErrorMessage();
        if (error != null) {
            builder.withDetail("lastError", error);
        }
        return builder.build();
    }
}
