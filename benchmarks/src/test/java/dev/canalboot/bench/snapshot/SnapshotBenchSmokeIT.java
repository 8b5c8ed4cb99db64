package dev.canalboot.bench.snapshot;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tiny run of the snapshot benchmark on an embedded MySQL (2,000 narrow and 400 wide rows): every contender,
 * each in its own JVM, reads every row of both tables, and the table comes out. Proves the harness works; measures
 * nothing.
 */
class SnapshotBenchSmokeIT {

    @Test
    void everyContenderReadsEveryRow() throws Exception {
        Path out = Path.of("target/snapshot-bench-smoke/snapshot-results.md");

        List<SnapshotBenchMain.Run> runs = SnapshotBenchMain.run("--scale=0.002", "--out=" + out);

        assertThat(runs).extracting(r -> r.workload() + " " + r.contender()).containsExactly("narrow ours",
                "narrow jdbc", "narrow debezium", "wide ours", "wide jdbc", "wide debezium");
        for (SnapshotBenchMain.Run run : runs) {
            assertThat(run.rows()).as(run.contender()).isEqualTo(run.workload().equals("narrow") ? 2000 : 400);
            assertThat(run.seconds()).as(run.contender()).isPositive();
            assertThat(run.cpuSeconds()).as(run.contender()).isPositive();
        }
        assertThat(Files.readString(out)).contains("| narrow | ours |").contains("| wide | debezium |");
    }
}
