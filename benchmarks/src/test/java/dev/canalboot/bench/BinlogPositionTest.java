package dev.canalboot.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BinlogPositionTest {

    @Test
    void reachedComparesFileThenOffset() {
        BinlogPosition end = new BinlogPosition("binlog.000002", 500);
        assertThat(new BinlogPosition("binlog.000002", 500).reached(end)).isTrue();
        assertThat(new BinlogPosition("binlog.000002", 499).reached(end)).isFalse();
        assertThat(new BinlogPosition("binlog.000001", 9_000).reached(end)).isFalse();
        assertThat(new BinlogPosition("binlog.000003", 4).reached(end)).isTrue();
    }
}
