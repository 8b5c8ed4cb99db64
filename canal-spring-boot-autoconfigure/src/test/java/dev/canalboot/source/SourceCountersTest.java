package dev.canalboot.source;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SourceCountersTest {

    @Test
    void countsAndTimesAreWhatTheSourceReported() {
        SourceCounters counters = new SourceCounters(() -> "db1:3306", () -> "stalled since 12:00");
        assertThat(counters.lastEventTimestamp()).isNull();
        assertThat(counters.lastHeartbeat()).isNull();
        counters.bytesRead(100);
        counters.bytesRead(20);
        counters.reconnecting();
        counters.batchHandedOver();
        counters.eventsHandedOver(7);
        counters.eventSkipped();
        counters.lastEventAt(Instant.ofEpochMilli(1_700_000_000_000L));
        counters.lastEventAt(null);
        long before = System.currentTimeMillis();
        counters.heartbeat();
        assertThat(counters.bytesRead()).isEqualTo(120);
        assertThat(counters.reconnects()).isEqualTo(1);
        assertThat(counters.batches()).isEqualTo(1);
        assertThat(counters.events()).isEqualTo(7);
        assertThat(counters.eventsSkipped()).isEqualTo(1);
        assertThat(counters.lastEventTimestamp()).as("null does not erase it")
                .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(counters.lastHeartbeat().toEpochMilli()).isGreaterThanOrEqualTo(before);
        assertThat(counters.server()).isEqualTo("db1:3306");
        assertThat(counters.stalled()).isEqualTo("stalled since 12:00");
    }
}
