package dev.canalboot.bench.kafka;

/**
 * One measured run of one contender of a Kafka benchmark.
 *
 * @param nanos    from the contender's start (connect included) to its last row
 * @param cpuNanos CPU time of the whole benchmark JVM in that time (Kafka broker excluded when it runs elsewhere)
 */
public record KafkaRun(String benchmark, String contender, long rows, long nanos, long cpuNanos) {

    public double rowsPerSecond() {
        return nanos == 0 ? 0 : rows * 1e9 / nanos;
    }

    public double cpuMicrosPerRow() {
        return rows == 0 ? 0 : cpuNanos / 1e3 / rows;
    }
}
