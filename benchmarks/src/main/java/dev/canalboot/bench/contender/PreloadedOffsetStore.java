package dev.canalboot.bench.contender;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Debezium's offsets, in memory, holding from the start the binlog position a run begins at: the engine then
 * streams from there instead of from where the server stands. Keys and values are what the engine's own
 * offset writer stores (schema-less JSON of {@code [engine name, partition]} and of the offset).
 */
public final class PreloadedOffsetStore extends MemoryOffsetBackingStore {

    /** Set by {@link DebeziumContender} right before it builds the engine, which creates this store. */
    private static volatile Map<ByteBuffer, ByteBuffer> initial = Map.of();

    static void preload(String engineName, String topicPrefix, String binlogFile, long position) {
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false"), true);
        byte[] key = json.fromConnectData(engineName, null, List.of(engineName, Map.of("server", topicPrefix)));
        byte[] value = json.fromConnectData(engineName, null, Map.of("file", binlogFile, "pos", position));
        initial = Map.of(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
    }

    @Override
    public void start() {
        super.start();
        data.putAll(initial);
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }
}
