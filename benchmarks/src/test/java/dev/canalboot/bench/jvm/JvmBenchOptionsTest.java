package dev.canalboot.bench.jvm;

import dev.canalboot.bench.BenchServer;
import dev.canalboot.bench.workload.Workload;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JvmBenchOptionsTest {

    @Test
    void defaultsMeasureEveryContenderOnBothServersAndAllWorkloads() {
        JvmBenchOptions options = JvmBenchOptions.parse();

        assertThat(options.contenders()).containsExactlyElementsOf(JvmContenders.ids());
        assertThat(options.servers().servers()).containsExactly(BenchServer.Flavor.MYSQL, BenchServer.Flavor.MARIADB);
        assertThat(options.workloads()).containsExactly(Workload.values());
        assertThat(options.coldRows()).isEqualTo(1_000_000);
        assertThat(options.childJvm()).containsExactly("-Xmx1g");
    }

    @Test
    void numbersPickContendersInTableOrderAndColdRowsFollowTheScale() {
        JvmBenchOptions options = JvmBenchOptions.parse("--contenders=7,1,3", "--scale=0.1",
                "--child-jvm=-Xmx2g,-XX:+UseParallelGC", "--mysql=db:3306:root:pw");

        assertThat(options.contenders()).containsExactly("1-ours-binlog-typed", "3-fast", "3-default", "7-debezium");
        assertThat(options.coldRows()).isEqualTo(100_000);
        assertThat(options.childJvm()).containsExactly("-Xmx2g", "-XX:+UseParallelGC");
        assertThat(options.servers().external()).containsEntry(BenchServer.Flavor.MYSQL, "db:3306:root:pw");
    }

    @Test
    void withJfrEveryChildRecordsToItsOwnFile() {
        java.nio.file.Path file = java.nio.file.Path.of("target/x.jfr");

        assertThat(JvmBenchOptions.parse().childJvm(file)).containsExactly("-Xmx1g");
        assertThat(JvmBenchOptions.parse("--jfr=true").childJvm(file)).containsExactly("-Xmx1g",
                "-XX:StartFlightRecording:settings=profile,filename=" + file.toAbsolutePath());
    }

    @Test
    void unknownContendersAndOptionsAreNamed() {
        assertThatThrownBy(() -> JvmBenchOptions.parse("--contenders=9"))
                .hasMessageContaining("'9'").hasMessageContaining("7-debezium");
        assertThatThrownBy(() -> JvmBenchOptions.parse("--cold-run=2"))
                .hasMessageContaining("[cold-run]").hasMessageContaining("--cold-runs");
        assertThatThrownBy(() -> JvmBenchOptions.parse("--runs=-1")).hasMessageContaining("--runs");
    }

    @Test
    void eachChildGetsOnlyTheBinlogConnectorItsContenderNeeds() {
        String zendesk = "/m2/com/zendesk/mysql-binlog-connector-java/0.30.1/c.jar";
        String fork = "/m2/io/debezium/mysql-binlog-connector-java/0.41.0/f.jar";
        String engine = "/m2/io/debezium/debezium-embedded/3.6.1.Final/e.jar";
        String ours = "/repo/benchmarks/target/classes";
        String all = String.join(File.pathSeparator, ours, zendesk, fork, engine);

        assertThat(List.of(ChildClassPath.filter(all, JvmContenders.DEBEZIUM).split(File.pathSeparator)))
                .containsExactly(ours, fork, engine);
        assertThat(List.of(ChildClassPath.filter(all, JvmContenders.FAST).split(File.pathSeparator)))
                .containsExactly(ours, zendesk);
    }

    @Test
    void aReportLineReadsBackAsWritten() {
        RunReport report = new RunReport(10_000, 2_000_000_000L, 500_000_000L, 12_345_678, 64L << 20, 3_000_000,
                900_000_000, 2, null);

        assertThat(RunReport.parse(report.line())).isEqualTo(report);
        assertThat(report.rowsPerSecond()).isEqualTo(5_000);
        assertThat(report.cpuMicrosPerRow()).isEqualTo(50);
    }

    @Test
    void ratiosPairTheRunsOfEachRound() {
        List<RunReport> ours = List.of(run(2_000), run(4_000));
        List<RunReport> fast = List.of(run(1_000), run(4_000), run(1));

        assertThat(JvmReport.ratios(ours, fast, RunReport::rowsPerSecond)).containsExactly(2.0, 1.0);
    }

    private static RunReport run(long rowsPerSecond) {
        return new RunReport(rowsPerSecond, 1_000_000_000L, 1, 1, 1, 1, 1, 1, null);
    }
}
