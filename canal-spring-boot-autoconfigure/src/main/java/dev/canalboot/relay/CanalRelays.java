package dev.canalboot.relay;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.ListenerEndpointProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The relays of the configured sources by source name; closes their producers when the context closes. */
public final class CanalRelays implements ListenerEndpointProvider, AutoCloseable {

    private final Map<String, RelayEndpoints> relays;
    private final List<KafkaRelay> producers;

    public CanalRelays(Map<String, RelayEndpoints> relays, List<KafkaRelay> producers) {
        this.relays = Map.copyOf(relays);
        this.producers = List.copyOf(producers);
    }

    /** The relay of {@code sourceName}, or {@code null} when that source does not relay. */
    public @Nullable RelayEndpoints relay(String sourceName) {
        return relays.get(sourceName);
    }

    @Override
    public List<ListenerEndpoint> listenerEndpoints() {
        List<ListenerEndpoint> all = new ArrayList<>();
        relays.values().forEach(relay -> all.addAll(relay.endpoints()));
        return all;
    }

    @Override
    public void close() {
        producers.forEach(KafkaRelay::close);
    }
}
