package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Start positions appear in logs as people write them in configuration, not as record dumps. */
class StartPositionTest {

    @Test
    void eachStartPrintsAsItIsWritten() {
        assertThat(new StartPosition.Latest()).hasToString("latest");
        assertThat(new StartPosition.Earliest()).hasToString("earliest");
        assertThat(new StartPosition.FilePosition("binlog.000042", 1234)).hasToString("binlog.000042:1234");
        assertThat(new StartPosition.MySqlGtids(GtidSet.parse("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42")))
                .hasToString("gtid 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-42");
        assertThat(new StartPosition.MariaDbGtids("0-1-100")).hasToString("gtid 0-1-100");
    }
}
