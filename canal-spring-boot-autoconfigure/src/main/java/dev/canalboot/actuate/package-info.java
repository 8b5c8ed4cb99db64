/**
 * Observability of sources and listener containers: Micrometer meters ({@link
 * dev.canalboot.actuate.CanalMetrics}), listener observations, health indicators, the {@code canal} Actuator
 * endpoint ({@link dev.canalboot.actuate.CanalEndpoint}) and the per-source state they read ({@link
 * dev.canalboot.actuate.SourceMonitors}). API: applications may replace these beans or read them; each part
 * configures itself only when its jar is present.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.actuate;

import org.jspecify.annotations.NullMarked;
