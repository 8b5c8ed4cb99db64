package dev.canalboot.bench.kafka;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One tiny run of both Kafka benchmarks, on the KRaft broker they start in a child JVM when none is given (see
 * {@link KafkaBrokerJvm}) and an embedded MySQL: every contender reads (or publishes) every row, and the table and
 * the ratios come out. Proves the harness works; measures nothing.
 */
class KafkaBenchSmokeIT {

    @Test
    void everyContenderHandlesEveryRow() throws Exception {
        KafkaBenchOptions options = KafkaBenchOptions.parse("--messages=2000", "--rows=2000", "--partitions=3",
                "--runs=1", "--warmups=1", "--out-dir=target/kafka-bench-smoke");

        List<KafkaRun> runs = KafkaBenchMain.run(options);

        assertThat(runs).extracting(KafkaRun::contender).containsExactly(SourceBench.CONTENDER_OURS,
                SourceBench.CONTENDER_PLAIN, SourceBench.CONTENDER_LIMIT, RelayBench.CONTENDER_OURS,
                RelayBench.CONTENDER_CANAL);
        for (KafkaRun run : runs) {
            assertThat(run.rows()).as(run.contender()).isEqualTo(2000);
            assertThat(run.nanos()).as(run.contender()).isPositive();
            assertThat(run.cpuNanos()).as(run.contender()).isPositive();
        }
        String markdown = KafkaBenchMain.markdown(runs);
        assertThat(markdown).contains("| source | " + SourceBench.CONTENDER_OURS + " |")
                .contains("| source | " + SourceBench.CONTENDER_LIMIT + " |")
                .contains("| relay | " + RelayBench.CONTENDER_CANAL + " |")
                .contains("source: " + SourceBench.CONTENDER_OURS + " against " + SourceBench.CONTENDER_PLAIN + ": ")
                .contains("relay: " + RelayBench.CONTENDER_OURS + " against " + RelayBench.CONTENDER_CANAL + ": ");
        System.out.println(markdown);
    }

    @Test
    void anEmptyBrokerAddressIsRefused() {
        assertThatThrownBy(() -> KafkaBenchOptions.parse("--bootstrap-servers=", "--messages=5"))
                .hasMessageContaining("--bootstrap-servers");
        assertThat(KafkaBenchOptions.parse("--messages=5").bootstrapServers()).isNull();
    }
}
