package dev.canalboot.bench;

import dev.canalboot.bench.contender.Contender;
import dev.canalboot.bench.contender.Contenders;
import dev.canalboot.bench.measure.Measurement;
import dev.canalboot.bench.workload.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tiny run of the harness on an embedded MySQL: every contender reads every workload's binlog to its last
 * row, and the table and the large-transaction child JVM come out. Proves the harness works; measures nothing.
 */
class BenchSmokeIT {

    private static final double SCALE = 0.002; // 2,000 narrow rows, 400 wide, 1,000 updates

    @Test
    void everyContenderReadsEveryWorkloadToItsLastRow() throws Exception {
        // every contender, 1a (measured only when named) included
        BenchOptions options = BenchOptions.parse("--scale=" + SCALE, "--servers=mysql", "--contenders=all,1a",
                "--warmups=0", "--runs=1",
                "--latency=false", "--jmh=false", "--big-transaction=true", "--big-transaction-rows=1000000");

        BenchMain.Report report = BenchMain.run(options);

        List<Measurement> measurements = report.throughput().measurements();
        List<String> contenders = Contenders.all().stream().map(Contender::id).toList();
        assertThat(contenders).hasSize(8);
        assertThat(measurements).hasSize(contenders.size() * Workload.values().length);
        for (Measurement m : measurements) {
            assertThat(m.error()).as("%s on %s", m.contender(), m.workload()).isNull();
            assertThat(m.rows()).isEqualTo(Workload.valueOf(m.workload().toUpperCase()).rows(SCALE));
            assertThat(m.nanos()).isPositive();
            assertThat(m.allocatedBytes()).isPositive();
        }
        assertThat(report.bigTransactions()).singleElement().satisfies(big -> {
            assertThat(big.error()).isNull();
            assertThat(big.rows()).isEqualTo(2_000);
            assertThat(big.peakHeapBytes()).isPositive().isLessThanOrEqualTo(256L << 20);
        });
        String markdown = report.markdown();
        for (String id : contenders) {
            assertThat(markdown).contains("| " + id + " |");
        }
        assertThat(report.complete()).isTrue();
    }
}
