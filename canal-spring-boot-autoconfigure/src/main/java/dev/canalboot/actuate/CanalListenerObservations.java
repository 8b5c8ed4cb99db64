package dev.canalboot.actuate;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.ContainerObserver;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Observes every listener call with the Micrometer Observation API, so traces show a span per call
 * (with the listener's own spans, e.g. its JDBC calls, as children) and an observation meter handler
 * times it. Costs nothing when the registry is a no-op.
 */
public class CanalListenerObservations implements ContainerObserver {

    private final ObservationRegistry registry;
    private final CanalListenerObservationConvention customConvention;

    /** @param customConvention replaces the default convention; {@code null} for the default */
    public CanalListenerObservations(ObservationRegistry registry,
                                      @Nullable CanalListenerObservationConvention customConvention) {
        this.registry = registry;
        this.customConvention = customConvention;
    }

    @Override
    public ListenerScope listenerStarting(String source, ListenerEndpoint endpoint, ChangeEvent event,
                                          List<RowChange> rows) {
        if (registry.isNoop()) {
            return ListenerScope.NONE;
        }
        Observation observation = Observation.createNotStarted(customConvention,
                DefaultCanalListenerObservationConvention.INSTANCE,
                () -> new CanalListenerObservationContext(source, endpoint, event, rows), registry);
        if (observation.isNoop()) {
            return ListenerScope.NONE;
        }
        observation.start();
        Observation.Scope scope = observation.openScope();
        return error -> {
            scope.close();
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        };
    }
}
