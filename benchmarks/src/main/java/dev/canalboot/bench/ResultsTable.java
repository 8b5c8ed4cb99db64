package dev.canalboot.bench;

import dev.canalboot.bench.measure.Measurement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The throughput table: one line per server, workload and contender, with ratios to contender 3 in fast mode
 * and to the limit (6), both measured in the same run on the same binlog.
 */
public final class ResultsTable {

    static final String REFERENCE = "3-fast";
    static final String LIMIT = "6-limit";

    private final List<Measurement> measurements = new ArrayList<>();

    public void add(Measurement measurement) {
        measurements.add(measurement);
    }

    public List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    /** The measurement of {@code contender} on the same server and workload as {@code m}, or null. */
    public Measurement peer(Measurement m, String contender) {
        for (Measurement other : measurements) {
            if (other.server().equals(m.server()) && other.workload().equals(m.workload())
                    && other.contender().equals(contender) && other.ok()) {
                return other;
            }
        }
        return null;
    }

    /** Throughput of {@code contender} over that of {@code reference} on one server and workload, or NaN. */
    public double ratio(String server, String workload, String contender, String reference) {
        Measurement a = find(server, workload, contender);
        Measurement b = find(server, workload, reference);
        return a == null || b == null ? Double.NaN : ratio(a, b);
    }

    /**
     * {@code a}'s rows/s over {@code b}'s: the median of the ratios within each round when both ran in the same
     * rounds (two runs of one round met the same machine; a 2× drift of the VM over minutes cancels out), else
     * the ratio of the medians.
     */
    static double ratio(Measurement a, Measurement b) {
        List<Double> paired = roundRatios(a, b);
        if (paired.isEmpty()) {
            return a.rowsPerSecond() / b.rowsPerSecond();
        }
        int n = paired.size();
        return n % 2 == 1 ? paired.get(n / 2) : (paired.get(n / 2 - 1) + paired.get(n / 2)) / 2;
    }

    /** The ratio of every round both ran in, sorted; empty unless both have as many rounds. */
    static List<Double> roundRatios(Measurement a, Measurement b) {
        if (a.rounds().isEmpty() || a.rounds().size() != b.rounds().size()) {
            return List.of();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.rounds().size(); i++) {
            ratios.add(a.rounds().get(i) / b.rounds().get(i));
        }
        ratios.sort(null);
        return ratios;
    }

    private Measurement find(String server, String workload, String contender) {
        return measurements.stream().filter(m -> m.ok() && m.server().equals(server) && m.workload().equals(workload)
                && m.contender().equals(contender)).findFirst().orElse(null);
    }

    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| server | workload | contender | rows | rows/s | × 3-fast | % of limit | CPU µs/row | alloc B/row | peak heap MB |\n");
        out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Measurement m : measurements) {
            if (!m.ok()) {
                out.append(String.format(Locale.ROOT, "| %s | %s | %s | — | %s | | | | | |%n", m.server(), m.workload(),
                        m.contender(), m.error().replace('|', '/')));
                continue;
            }
            Measurement reference = peer(m, REFERENCE);
            Measurement limit = peer(m, LIMIT);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,.0f | %s | %s | %.2f | %,.0f | %,d |%n",
                    m.server(), m.workload(), m.contender(), m.rows(), m.rowsPerSecond(),
                    reference == null ? "—" : String.format(Locale.ROOT, "%.2f×", ratio(m, reference)),
                    limit == null ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * ratio(m, limit)),
                    m.cpuMicrosPerRow(), m.allocatedBytesPerRow(), m.peakHeapBytes() >> 20));
        }
        return out.toString();
    }

    /** Target → hit/miss lines, per server and workload. */
    public String targets() {
        Map<String, List<String>> byRun = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            byRun.computeIfAbsent(m.server() + " / " + m.workload(), k -> new ArrayList<>());
        }
        StringBuilder out = new StringBuilder();
        for (String key : byRun.keySet()) {
            String server = key.substring(0, key.indexOf(" / "));
            String workload = key.substring(key.indexOf(" / ") + 3);
            out.append(String.format(Locale.ROOT, "- %s: %s; %s; %s; %s%n", key,
                    target(server, workload, "1-ours-binlog-typed", REFERENCE, 2.0),
                    target(server, workload, "1-ours-binlog-typed", "4-canal-official", 10.0),
                    target(server, workload, "5-ours-canal", "4-canal-official", 1.5),
                    target(server, workload, "1-ours-binlog-typed", LIMIT, 0.5)));
        }
        return out.toString();
    }

    private String target(String server, String workload, String contender, String reference, double goal) {
        double ratio = ratio(server, workload, contender, reference);
        String what = contender.substring(0, contender.indexOf('-')) + " vs " + reference + " ≥ "
                + (Objects.equals(reference, LIMIT) ? Math.round(goal * 100) + "%" : goal + "×");
        if (Double.isNaN(ratio)) {
            return what + ": not measured";
        }
        String value = Objects.equals(reference, LIMIT) ? String.format(Locale.ROOT, "%.0f%%", ratio * 100)
                : String.format(Locale.ROOT, "%.2f×", ratio);
        List<Double> rounds = roundRatios(find(server, workload, contender), find(server, workload, reference));
        String spread = rounds.size() < 2 ? "" : Objects.equals(reference, LIMIT)
                ? String.format(Locale.ROOT, " (rounds %.0f–%.0f%%)", rounds.get(0) * 100, rounds.get(rounds.size() - 1) * 100)
                : String.format(Locale.ROOT, " (rounds %.2f–%.2f×)", rounds.get(0), rounds.get(rounds.size() - 1));
        return what + ": " + value + (ratio >= goal ? " HIT" : " MISS") + spread;
    }
}
