package dev.canalboot.bench.workload;

import dev.canalboot.bench.BinlogPosition;

/**
 * A workload as written to a server's binlog: every contender reads from {@code start} until it delivered
 * {@code rows} row changes of the workload's table ({@code end} is where the binlog stood afterwards).
 */
public record GeneratedBinlog(Workload workload, long rows, BinlogPosition start, BinlogPosition end,
                              long generationNanos) {
}
