package dev.canalboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** The "canal" health contributor (one child per source). */
@ConfigurationProperties(prefix = "canal.health")
public class CanalHealthProperties {

    /** Lag above which a connected source reports LAGGING instead of UP. */
    private Duration lagThreshold = Duration.ofSeconds(60);

    /** How long a source may be without a connection (reconnecting) before it reports DOWN. */
    private Duration disconnectGracePeriod = Duration.ofSeconds(30);

    public Duration getLagThreshold() {
        return lagThreshold;
    }

    public void setLagThreshold(Duration lagThreshold) {
        this.lagThreshold = lagThreshold;
    }

    public Duration getDisconnectGracePeriod() {
        return disconnectGracePeriod;
    }

    public void setDisconnectGracePeriod(Duration disconnectGracePeriod) {
        this.disconnectGracePeriod = disconnectGracePeriod;
    }
}
