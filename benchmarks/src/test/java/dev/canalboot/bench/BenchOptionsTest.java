package dev.canalboot.bench;

import dev.canalboot.bench.workload.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void defaultsRunEverythingAtFullSize() {
        BenchOptions options = BenchOptions.parse();
        assertThat(options.scale()).isEqualTo(1.0);
        assertThat(options.servers()).containsExactly(BenchServer.Flavor.MYSQL, BenchServer.Flavor.MARIADB);
        assertThat(options.workloads()).containsExactly(Workload.values());
        assertThat(options.latency()).isTrue();
        assertThat(options.jmh()).isTrue();
        assertThat(Workload.NARROW.rows(options.scale())).isEqualTo(1_000_000);
        assertThat(Workload.WIDE.rows(options.scale())).isEqualTo(200_000);
        assertThat(Workload.UPDATES.rows(options.scale())).isEqualTo(500_000);
    }

    @Test
    void contendersAreChosenByIdOrNumber() {
        BenchOptions options = BenchOptions.parse("--contenders=1,3-fast");
        assertThat(List.of("1-ours-binlog-typed", "3-fast")).allMatch(options::wants);
        assertThat(List.of("2-ours-binlog-dispatch", "3-default", "6-limit",
                "1a-ours-binlog-typed-adaptive")).noneMatch(options::wants);
    }

    @Test
    void contender1aRunsOnlyWhenNamed() {
        String adaptive = "1a-ours-binlog-typed-adaptive";
        assertThat(BenchOptions.parse().wants(adaptive)).isFalse();
        assertThat(BenchOptions.parse().wants("1-ours-binlog-typed")).isTrue();
        assertThat(BenchOptions.parse("--contenders=all,1a").wants(adaptive)).isTrue();
        assertThat(BenchOptions.parse("--contenders=1a").wants(adaptive)).isTrue();
        assertThat(BenchOptions.parse("--contenders=1a").wants("1-ours-binlog-typed")).isFalse();
    }

    @Test
    void unknownOptionsAndBadValuesAreErrorsNamingThem() {
        assertThatThrownBy(() -> BenchOptions.parse("--scael=2")).hasMessageContaining("[scael]");
        assertThatThrownBy(() -> BenchOptions.parse("--scale=0")).hasMessageContaining("--scale must be positive");
        assertThatThrownBy(() -> BenchOptions.parse("scale=2")).hasMessageContaining("'scale=2'");
    }
}
