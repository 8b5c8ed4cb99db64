package dev.canalboot.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Micrometer meters and observations of sources and listeners. */
@ConfigurationProperties(prefix = "canal.metrics")
public class CanalMetricsProperties {

    /** Whether to register the canal.* meters (when Micrometer and a MeterRegistry are present). */
    private boolean enabled = true;

    /**
     * Tables per source that get their own "table" tag on canal.rows; changes of further tables are
     * counted with table=other. Bounds the number of time series a source with many tables creates.
     */
    private int maxTables = 100;

    /** Whether to observe each listener call with the Observation API (when an ObservationRegistry exists). */
    private boolean observations = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getMaxTables() {
        return maxTables;
    }

    public void setMaxTables(int maxTables) {
        this.maxTables = maxTables;
    }

    public boolean isObservations() {
        return observations;
    }

    public void setObservations(boolean observations) {
        this.observations = observations;
    }
}
