package dev.canalboot.bench;

import dev.canalboot.bench.measure.Measurement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultsTableTest {

    /** A measurement whose reported run is the median of {@code rounds} rows/s over 1,000,000 rows. */
    private static Measurement measured(String contender, double... rounds) {
        double[] sorted = rounds.clone();
        java.util.Arrays.sort(sorted);
        long nanos = Math.round(1_000_000 * 1e9 / sorted[sorted.length / 2]);
        return new Measurement("MySQL", "narrow", contender, 1_000_000, nanos, 0, 0, 0, null,
                java.util.Arrays.stream(rounds).boxed().toList());
    }

    @Test
    void ratiosPairTheRunsOfEachRound() {
        ResultsTable table = new ResultsTable();
        // Round 3 met a machine twice as fast for contender 1 only: the ratio of medians (200/100 = 2) would
        // follow it; the paired ratios are 100/90, 300/310 and 200/100, median 1.11.
        table.add(measured("1-ours-binlog-typed", 100, 300, 200));
        table.add(measured(ResultsTable.REFERENCE, 90, 310, 100));

        assertThat(table.ratio("MySQL", "narrow", "1-ours-binlog-typed", ResultsTable.REFERENCE))
                .isCloseTo(100.0 / 90, within(1e-9));
        assertThat(table.toMarkdown()).contains("| 1.11× |");
        assertThat(table.targets()).contains("1 vs 3-fast ≥ 2.0×: 1.11× MISS (rounds 0.97–2.00×)");
    }

    @Test
    void evenRoundCountsTakeTheMeanOfTheMiddleTwo() {
        ResultsTable table = new ResultsTable();
        table.add(measured("1-ours-binlog-typed", 100, 100, 100, 100));
        table.add(measured(ResultsTable.LIMIT, 400, 200, 100, 50));

        // ratios 0.25, 0.5, 1, 2: median (0.5 + 1) / 2
        assertThat(table.ratio("MySQL", "narrow", "1-ours-binlog-typed", ResultsTable.LIMIT))
                .isCloseTo(0.75, within(1e-9));
        assertThat(table.targets()).contains("1 vs 6-limit ≥ 50%: 75% HIT (rounds 25–200%)");
    }

    @Test
    void withoutCommonRoundsTheMediansAreCompared() {
        ResultsTable table = new ResultsTable();
        table.add(measured("1-ours-binlog-typed", 300));
        table.add(measured(ResultsTable.REFERENCE, 100, 100));

        assertThat(table.ratio("MySQL", "narrow", "1-ours-binlog-typed", ResultsTable.REFERENCE))
                .isCloseTo(3.0, within(1e-6));
        assertThat(table.targets()).contains("1 vs 3-fast ≥ 2.0×: 3.00× HIT;");
    }
}
