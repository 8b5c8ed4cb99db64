package dev.canalboot.bench.latency;

import dev.canalboot.bench.BenchServer;

import java.util.function.LongConsumer;

/** A consumer under latency test: started at the binlog's current end, it reports each received row id. */
interface LatencyConsumer {

    String id();

    /** Starts reading {@code schema.table} changes from now on; {@code onRow} gets each row's {@code id}. */
    AutoCloseable start(BenchServer server, String schema, String table, long replicaServerId, LongConsumer onRow)
            throws Exception;

    /** Why it cannot run against {@code server}, or null. */
    default String unavailableReason(BenchServer server) {
        return null;
    }
}
