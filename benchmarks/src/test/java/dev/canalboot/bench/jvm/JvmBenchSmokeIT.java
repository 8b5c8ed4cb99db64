package dev.canalboot.bench.jvm;

import dev.canalboot.bench.workload.Workload;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tiny run of the separate-JVM harness on an embedded MySQL: ours, the connector's fast mode and Debezium,
 * each in its own child JVMs (one cold run, one steady pass), read the narrow workload to its last row and report
 * CPU time; the curves and the chart come out. Proves the harness works; measures nothing.
 */
class JvmBenchSmokeIT {

    @Test
    void everyContenderReadsEveryRowInItsOwnJvm() throws Exception {
        Path outDir = Path.of("target/jvm-bench-smoke");
        JvmBenchOptions options = JvmBenchOptions.parse("--scale=0.01", "--servers=mysql", "--workloads=narrow",
                "--contenders=1,3-fast,7", "--cold-runs=1", "--cold-rows=1000000", "--warmups=0", "--runs=1",
                "--child-jvm=-Xmx256m", "--out-dir=" + outDir);

        JvmReport report = JvmBenchMain.run(options);

        long rows = Workload.NARROW.rows(0.01);
        List<Outcome> outcomes = report.outcomes();
        assertThat(outcomes).extracting(Outcome::contender)
                .containsExactly(JvmContenders.OURS, JvmContenders.FAST, JvmContenders.DEBEZIUM);
        for (Outcome o : outcomes) {
            assertThat(o.error()).as(o.contender()).isNull();
            assertThat(o.cold()).as(o.contender()).singleElement().satisfies(cold -> {
                assertThat(cold.rows()).isEqualTo(rows);
                assertThat(cold.cpuNanos()).isPositive();
                assertThat(cold.allocatedBytes()).isPositive();
                assertThat(cold.firstRowNanos()).isPositive().isLessThan(cold.nanos());
                assertThat(cold.firstRowSinceJvmStartNanos()).isGreaterThan(cold.firstRowNanos());
            });
            assertThat(o.steady()).as(o.contender()).singleElement().satisfies(steady -> {
                assertThat(steady.rows()).isEqualTo(rows);
                assertThat(steady.cpuNanos()).isPositive();
            });
            Path csv = outDir.resolve("csv/mysql-narrow-" + o.contender() + "-cold1.csv");
            List<String> curve = Files.readAllLines(csv);
            assertThat(curve.get(0)).isEqualTo("ms,rows,rows_per_s,cpu_ms,heap_mb");
            assertThat(curve.get(curve.size() - 1).split(",")[1]).as("rows at the last sample").isEqualTo(Long.toString(rows));
        }
        assertThat(outDir.resolve("mysql-narrow-cold.png")).isNotEmptyFile();
        assertThat(report.complete()).isTrue();
        assertThat(report.markdown()).contains("| " + JvmContenders.DEBEZIUM + " |")
                .contains("ours ÷ 3-fast rows/s").contains("ours ÷ 7-debezium rows/s");
    }
}
