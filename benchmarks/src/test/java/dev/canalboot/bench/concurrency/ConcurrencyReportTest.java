package dev.canalboot.bench.concurrency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The concurrency benchmark's table and chart from given results (no server, nothing measured). */
class ConcurrencyReportTest {

    private static final List<ConcurrencyBenchMain.Result> RESULTS = List.of(
            new ConcurrencyBenchMain.Result("ours", 1, "waits 1000 µs/row", 1000, 1.0),
            new ConcurrencyBenchMain.Result("ours", 16, "waits 1000 µs/row", 1000, 0.1),
            new ConcurrencyBenchMain.Result("Debezium embedded 3.6.1.Final", 1, "waits 1000 µs/row", 1000, 1.25),
            new ConcurrencyBenchMain.Result("ours, mirror", 1, "upserts", 1000, 2.0),
            new ConcurrencyBenchMain.Result("ours, mirror", 16, "upserts", 1000, 0.25));

    @TempDir
    Path out;

    @Test
    void theTableGivesEachRunsRowsPerSecondAndItsMultipleOfConcurrencyOne() {
        String table = ConcurrencyTable.markdown(RESULTS, 1000);
        assertThat(table).contains("| ours | waits 1000 µs/row | 16 | 1,000 | 0.10 | 10,000 | 10.0× |")
                .contains("| ours, mirror | upserts | 16 | 1,000 | 0.25 | 4,000 | 8.0× |")
                .contains("| Debezium embedded 3.6.1.Final | waits 1000 µs/row | 1 | 1,000 | 1.25 | 800 | 1.0× |");
    }

    @Test
    void theMirrorCpuTableGivesEachProcessesCpuPerRowAndTheCeilingItAllows() {
        ProcessCpu.PerRow perRow = ProcessCpu.perRow(Map.of("harness JVM", 0L, "mirror mysqld", 0L),
                new java.util.LinkedHashMap<>(Map.of("harness JVM", 50_000_000L)), 1000, 0.25);
        assertThat(perRow.labels()).containsExactly("harness JVM");
        assertThat(perRow.totalMicros()).isEqualTo(50.0);
        assertThat(perRow.busyCores()).isEqualTo(0.2);
        List<ConcurrencyBenchMain.Result> results = List.of(RESULTS.get(0), new ConcurrencyBenchMain.Result(
                "ours, mirror", 16, "upserts", 1000, 0.25, new ConcurrencyBenchMain.MirrorCpu(perRow, 17, 2)));
        assertThat(ConcurrencyTable.mirrorCpu(RESULTS)).isEmpty();
        assertThat(ConcurrencyTable.mirrorCpu(results))
                .contains("| 16 | 17 | 4,000 | harness JVM 50.0 | 50.0 | 0.20 of 2 | 40,000 |");
    }

    @Test
    void processCpuReadsThisJvmsCpuTimeFromProc() {
        long pid = ProcessHandle.current().pid();
        long first = ProcessCpu.cpuNanos(pid);
        assertThat(first).isPositive();
        long spin = System.nanoTime() + 100_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += x * 31 + 7;
        }
        assertThat(ProcessCpu.cpuNanos(pid)).as("after spinning (%d)", x).isGreaterThan(first);
        assertThat(ProcessCpu.cpuNanos(-5)).isEqualTo(-1);
    }

    @Test
    void theChartIsAPng() throws Exception {
        Path png = out.resolve("chart.png");
        ConcurrencyChart.write(png, RESULTS);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(600);
    }
}
