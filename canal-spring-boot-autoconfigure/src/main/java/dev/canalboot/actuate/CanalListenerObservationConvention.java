package dev.canalboot.actuate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and tags of listener call observations; define a bean to change them. */
public interface CanalListenerObservationConvention extends ObservationConvention<CanalListenerObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof CanalListenerObservationContext;
    }
}
