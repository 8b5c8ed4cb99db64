package dev.canalboot.listener;

import dev.canalboot.listener.container.ListenerEndpoint;
import java.util.List;

/**
 * Listener endpoints declared in code rather than with {@link CanalListener} (the Kafka relay's, for one): every
 * bean of this type adds its endpoints to the annotated ones when the containers are created.
 */
@FunctionalInterface
public interface ListenerEndpointProvider {

    List<ListenerEndpoint> listenerEndpoints();
}
