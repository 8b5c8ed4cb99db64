package dev.canalboot.binlog;

import dev.canalboot.autoconfigure.SourceProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows are decoded on the connection's thread unless configured otherwise: the least CPU per row (PROFILE.md). */
class RowDecodingDefaultTest {

    @Test
    void settingsAndPropertiesDecodeOnTheConnectionsThreadByDefault() {
        assertThat(BinlogSourceSettings.builder("s", "localhost", 3306, "u", "p").build().rowDecoding())
                .isEqualTo(RowDecoding.CONNECTION_THREAD);
        assertThat(new SourceProperties().getRowDecoding()).isEqualTo(RowDecoding.CONNECTION_THREAD);
    }
}
