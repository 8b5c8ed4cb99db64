package dev.canalboot.bench.latency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyBenchTest {

    @Test
    void aRowAfterItsCommitReturnedMeasuresTheGap() {
        assertThat(LatencyBench.latencyMicros(1_000_000, 3_500_000)).isEqualTo(2_500);
        assertThat(LatencyBench.latencyMicros(1_000_000, 1_000_000)).isZero();
    }

    @Test
    void aRowBeforeItsCommitReturnedIsEarly() {
        assertThat(LatencyBench.latencyMicros(0, 3_500_000)).isEqualTo(-1);
        // the commit was stamped after the listener read its clock: the row still came first
        assertThat(LatencyBench.latencyMicros(3_500_001, 3_500_000)).isEqualTo(-1);
    }
}
