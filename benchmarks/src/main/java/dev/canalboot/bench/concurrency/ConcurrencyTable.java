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
}
