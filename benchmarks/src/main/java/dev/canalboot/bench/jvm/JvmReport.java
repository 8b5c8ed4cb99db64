package dev.canalboot.bench.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The tables and target lines of one separate-JVM harness run. */
public record JvmReport(JvmBenchOptions options, List<Outcome> outcomes) {

    /** Whether every contender delivered every run it was asked for. */
    public boolean complete() {
        return outcomes.stream().allMatch(o -> o.ok() || o.absent());
    }

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "## Separate JVMs, steady state (scale %s; %d warm-up + %d measured "
                        + "passes in one long-lived JVM per contender; child JVM %s)%n%n", options.scale(),
                options.warmups(), options.runs(), String.join(" ", options.childJvm())));
        out.append("| server | workload | contender | rows/s | CPU µs/row | allocated B/row | peak heap MB | result |\n");
        out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Outcome o : outcomes) {
            row(out, o, o.steady(), false);
        }
        out.append(String.format(Locale.ROOT, "%n## Separate JVMs, cold (first %,d rows from a fresh JVM, %d run(s) "
                + "per contender)%n%n", options.coldRows(), options.coldRuns()));
        out.append("| server | workload | contender | rows/s | CPU µs/row | allocated B/row | peak heap MB "
                + "| first row, ms from start | first row, ms from JVM start | result |\n");
        out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Outcome o : outcomes) {
            row(out, o, o.cold(), true);
        }
        out.append("\nMedians over the runs; ratios are the median of the ratios within each round.\n\nTargets:\n");
        out.append(targets());
        return out.toString();
    }

    private static void row(StringBuilder out, Outcome o, List<RunReport> runs, boolean cold) {
        if (runs.isEmpty()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | | | | |%s %s |%n", o.server(), o.workload(),
                    o.contender(), cold ? " | |" : "", o.ok() ? "not run" : shortened(o.error())));
            return;
        }
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %.2f | %,.0f | %,d |", o.server(), o.workload(),
                o.contender(), Outcome.median(runs, RunReport::rowsPerSecond),
                Outcome.median(runs, RunReport::cpuMicrosPerRow), Outcome.median(runs, RunReport::allocatedBytesPerRow),
                Math.round(Outcome.median(runs, r -> r.peakHeapBytes() / (double) (1 << 20)))));
        if (cold) {
            out.append(String.format(Locale.ROOT, " %,.0f | %,.0f |", Outcome.median(runs, r -> r.firstRowNanos() / 1e6),
                    Outcome.median(runs, r -> r.firstRowSinceJvmStartNanos() / 1e6)));
        }
        out.append(' ').append(o.ok() ? "every row delivered" : shortened(o.error())).append(" |\n");
    }

    /** A failure as one table cell: its first 300 characters (the console has it whole). */
    private static String shortened(String error) {
        String cell = error.replace('|', '/').replace('\t', ' ');
        return cell.length() <= 300 ? cell : cell.substring(0, 300) + "…";
    }

    /** One line per server, workload, span and target; "n/a" where a contender is missing. */
    String targets() {
        StringBuilder out = new StringBuilder();
        for (Outcome ours : outcomes) {
            if (!ours.contender().equals(JvmContenders.OURS)) {
                continue;
            }
            Outcome fast = peer(ours, JvmContenders.FAST);
            Outcome debezium = peer(ours, JvmContenders.DEBEZIUM);
            for (String span : List.of("steady", "cold")) {
                Function<Outcome, List<RunReport>> runs = span.equals("steady") ? Outcome::steady : Outcome::cold;
                String where = ours.server() + " " + ours.workload() + " " + span;
                out.append(line(where + ": ours ÷ 3-fast rows/s", runs, ours, fast, RunReport::rowsPerSecond, 2, true));
                out.append(line(where + ": ours ÷ 3-fast CPU µs/row", runs, ours, fast, RunReport::cpuMicrosPerRow, 0.5, false));
                out.append(line(where + ": ours ÷ 7-debezium rows/s", runs, ours, debezium, RunReport::rowsPerSecond, 5, true));
            }
        }
        return out.toString();
    }

    private Outcome peer(Outcome ours, String contender) {
        return outcomes.stream().filter(o -> o.server().equals(ours.server()) && o.workload().equals(ours.workload())
                && o.contender().equals(contender)).findFirst().orElse(null);
    }

    private static String line(String what, Function<Outcome, List<RunReport>> runs, Outcome ours, Outcome other,
                               ToDoubleFunction<RunReport> value, double target, boolean atLeast) {
        String goal = String.format(Locale.ROOT, "target %s %s", atLeast ? "≥" : "≤", target);
        List<Double> ratios = other == null ? List.of() : ratios(runs.apply(ours), runs.apply(other), value);
        if (ratios.isEmpty()) {
            return String.format(Locale.ROOT, "- %s: n/a (%s)%n", what, goal);
        }
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(Double::compare);
        double median = sorted.get(sorted.size() / 2);
        boolean met = atLeast ? median >= target : median <= target;
        return String.format(Locale.ROOT, "- %s: %.2f× (rounds %.2f–%.2f; %s: %s)%n", what, median, sorted.get(0),
                sorted.get(sorted.size() - 1), goal, met ? "met" : "NOT met");
    }

    /** Ratio of the two contenders' runs of each round both completed. */
    static List<Double> ratios(List<RunReport> ours, List<RunReport> other, ToDoubleFunction<RunReport> value) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(ours.size(), other.size()); i++) {
            ratios.add(value.applyAsDouble(ours.get(i)) / value.applyAsDouble(other.get(i)));
        }
        return ratios;
    }
}
