package dev.canalboot.bench.contender;

import dev.canalboot.bench.BenchServer;

/**
 * One way a user could consume the binlog. A run reads the workload's binlog from its first event until
 * {@link RunContext#expectedRows()} row changes of the workload table reached the listener, reporting each
 * delivery to the context, then releases everything it opened.
 */
public interface Contender {

    /** Short id as the table prints it, e.g. {@code 3-fast}. */
    String id();

    /** One line: what is measured. */
    String description();

    /** Why this contender cannot run against {@code server}, or {@code null} when it can. */
    default String unavailableReason(BenchServer server) {
        return null;
    }

    /** Blocks until the context is done (or failed); must not return earlier. */
    void run(RunContext context) throws Exception;
}
