package dev.canalboot.bench.concurrency;

import java.util.List;
import java.util.Locale;

/** The results as a Markdown table, each run's rows/s also as a multiple of its series' concurrency-1 run. */
final class ConcurrencyTable {

    private ConcurrencyTable() {
    }

    static String markdown(List<ConcurrencyBenchMain.Result> results, long rows) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Listener concurrency, %,d rows of the narrow workload, MySQL 8.0.31 (rows/s from the first row to the last)%n%n",
                rows));
        table.append("| contender | listener | concurrency | rows | seconds | rows/s | × concurrency 1 |\n");
        table.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (ConcurrencyBenchMain.Result result : results) {
            ConcurrencyBenchMain.Result base = results.stream()
                    .filter(r -> r.contender().equals(result.contender()) && r.listener().equals(result.listener())
                            && r.concurrency() == 1)
                    .findFirst().orElse(null);
            table.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %.2f | %,.0f | %s |%n", result.contender(),
                    result.listener(), result.concurrency(), result.rows(), result.seconds(), result.rowsPerSecond(),
                    base == null ? "–" : String.format(Locale.ROOT, "%.1f×", result.rowsPerSecond() / base.rowsPerSecond())));
        }
        return table.toString();
    }

    /** The mirror runs' CPU per process, as a Markdown table (empty without mirror runs). */
    static String mirrorCpu(List<ConcurrencyBenchMain.Result> results) {
        StringBuilder table = new StringBuilder();
        for (ConcurrencyBenchMain.Result result : results) {
            if (result.cpu() == null) {
                continue;
            }
            if (table.isEmpty()) {
                table.append("\nMirror runs: CPU per row of each process over the run (Linux /proc, 10 ms ticks), the cores"
                        + " they kept busy together, and the rows/s this CPU cost allows with every core busy\n\n");
                table.append("| concurrency | pool | rows/s | CPU µs/row per process | total CPU µs/row | cores busy |"
                        + " ceiling rows/s |\n| ---: | ---: | ---: | --- | ---: | ---: | ---: |\n");
            }
            ConcurrencyBenchMain.MirrorCpu cpu = result.cpu();
            table.append(String.format(Locale.ROOT, "| %d | %d | %,.0f | %s | %.1f | %.2f of %d | %,.0f |%n",
                    result.concurrency(), cpu.poolSize(), result.rowsPerSecond(), processes(cpu.perRow()),
                    cpu.perRow().totalMicros(), cpu.perRow().busyCores(), cpu.cores(), cpu.ceilingRowsPerSecond()));
        }
        return table.toString();
    }

    static String mirrorCpuLine(int concurrency, ConcurrencyBenchMain.MirrorCpu cpu) {
        return String.format(Locale.ROOT, "mirror, concurrency %d, pool %d: CPU µs/row %s, total %.1f; %.2f of %d cores"
                        + " busy; ceiling %,.0f rows/s", concurrency, cpu.poolSize(), processes(cpu.perRow()),
                cpu.perRow().totalMicros(), cpu.perRow().busyCores(), cpu.cores(), cpu.ceilingRowsPerSecond());
    }

    private static String processes(ProcessCpu.PerRow perRow) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < perRow.labels().size(); i++) {
            text.append(i == 0 ? "" : ", ").append(perRow.labels().get(i))
                    .append(String.format(Locale.ROOT, " %.1f", perRow.micros().get(i)));
        }
        return text.toString();
    }
}
