package dev.canalboot.bench.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tiny run of both Kafka benchmarks on a KRaft broker (in a child JVM, see {@link KafkaBrokerJvm}) and an
 * embedded MySQL: every contender reads
 * (or publishes) every row, and the table comes out. Proves the harness works; measures nothing.
 */
class KafkaBenchSmokeIT {

    @Test
    void everyContenderHandlesEveryRow() throws Exception {
        try (KafkaBrokerJvm broker = new KafkaBrokerJvm()) {
            run(broker.bootstrapServers());
        }
    }

    private void run(String servers) throws Exception {
        KafkaBenchOptions options = KafkaBenchOptions.parse("--bootstrap-servers=" + servers, "--messages=2000",
                "--rows=2000", "--partitions=3", "--runs=1", "--out-dir=target/kafka-bench-smoke");

        List<KafkaRun> runs = KafkaBenchMain.run(options);

        assertThat(runs).extracting(KafkaRun::contender).containsExactly(SourceBench.CONTENDER_OURS,
                SourceBench.CONTENDER_PLAIN, RelayBench.CONTENDER_OURS, RelayBench.CONTENDER_CANAL);
        for (KafkaRun run : runs) {
            assertThat(run.rows()).as(run.contender()).isEqualTo(2000);
            assertThat(run.nanos()).as(run.contender()).isPositive();
            assertThat(run.cpuNanos()).as(run.contender()).isPositive();
        }
        assertThat(KafkaBenchMain.markdown(runs)).contains("| source | " + SourceBench.CONTENDER_OURS + " |")
                .contains("| relay | " + RelayBench.CONTENDER_CANAL + " |");
    }

    @Test
    void theBrokerIsRequired() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaBenchOptions.parse("--messages=5"))
                .hasMessageContaining("--bootstrap-servers");
    }
}
