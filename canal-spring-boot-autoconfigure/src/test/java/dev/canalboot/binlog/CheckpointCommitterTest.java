package dev.canalboot.binlog;

import dev.canalboot.internal.binlog.protocol.GtidSet;
import dev.canalboot.checkpoint.Checkpoint;
import dev.canalboot.checkpoint.CheckpointException;
import dev.canalboot.checkpoint.CheckpointPolicy;
import dev.canalboot.checkpoint.CheckpointStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointCommitterTest {

    /** Remembers every save. */
    static final class RecordingStore implements CheckpointStore {
        final List<Checkpoint> saved = new ArrayList<>();
        Checkpoint stored;

        @Override
        public Optional<Checkpoint> load(String source) {
            return Optional.ofNullable(stored);
        }

        @Override
        public void save(Checkpoint checkpoint) {
            saved.add(checkpoint);
            stored = checkpoint;
        }

        @Override
        public void delete(String source) {
            stored = null;
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final RecordingStore store = new RecordingStore();
    final TestClock clock = new TestClock();

    static BinlogCheckpoint at(long position) {
        return new BinlogCheckpoint("binlog.000001", position, null, null);
    }

    @Test
    void everyAcknowledgementIsSavedWithAZeroInterval() {
        CheckpointCommitter committer = new CheckpointCommitter("s", store, CheckpointPolicy.EVERY_BATCH, clock);
        assertThat(committer.acknowledged(at(100))).isEqualTo(at(100));
        assertThat(committer.acknowledged(at(200))).isEqualTo(at(200));
        assertThat(store.saved).extracting(Checkpoint::position).containsExactly(100L, 200L);
        assertThat(committer.flush()).as("nothing pending").isNull();
    }

    @Test
    void anIntervalDefersSavesUntilItPassedOrTheCommitterIsFlushed() {
        CheckpointCommitter committer = new CheckpointCommitter("s", store,
                CheckpointPolicy.EVERY_BATCH.withCommitInterval(Duration.ofSeconds(10)), clock);
        assertThat(committer.acknowledged(at(100))).as("the first is saved at once").isEqualTo(at(100));
        assertThat(committer.acknowledged(at(200))).isNull();
        clock.now = clock.now.plusSeconds(9);
        assertThat(committer.saveIfDue()).isNull();
        assertThat(committer.acknowledged(at(300))).isNull();
        clock.now = clock.now.plusSeconds(1);
        assertThat(committer.saveIfDue()).isEqualTo(at(300));
        assertThat(committer.acknowledged(at(400))).isNull();
        assertThat(committer.flush()).isEqualTo(at(400));
        assertThat(store.saved).extracting(Checkpoint::position).containsExactly(100L, 300L, 400L);
        assertThat(committer.committed()).isEqualTo(at(400));
    }

    @Test
    void gtidsSurviveTheRoundTripThroughTheStoreForBothServerKinds() {
        BinlogCheckpoint mysql = new BinlogCheckpoint("binlog.000003", 777,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77", null);
        BinlogCheckpoint mariadb = new BinlogCheckpoint("binlog.000004", 888, null, "0-1-42,1-2-7");
        for (BinlogCheckpoint end : List.of(mysql, mariadb, at(999))) {
            store.stored = CheckpointCommitter.toCheckpoint("s", end, clock.now);
            assertThat(new CheckpointCommitter("s", store, CheckpointPolicy.EVERY_BATCH, clock).resumePoint())
                    .contains(end);
        }
        assertThat(mysql.resumePoint()).isEqualTo(new StartPosition.MySqlGtids(mysql.gtidSet()));
        assertThat(mariadb.resumePoint()).isEqualTo(new StartPosition.MariaDbGtids("0-1-42,1-2-7"));
        assertThat(at(999).resumePoint()).isEqualTo(new StartPosition.FilePosition("binlog.000001", 999));
    }

    @Test
    void anEmptyGtidSetResumesByFileRatherThanFromTheBeginning() {
        BinlogCheckpoint end = BinlogCheckpoint.of("binlog.000002", 500, GtidSet.EMPTY, "");
        assertThat(CheckpointCommitter.toCheckpoint("s", end, clock.now).gtidSet()).isNull();
        assertThat(end.resumePoint()).isEqualTo(new StartPosition.FilePosition("binlog.000002", 500));
    }

    @Test
    void aStoredCheckpointIsIgnoredWhenItDoesNotWinAndAnUnparsableOneIsAnError() {
        store.stored = new Checkpoint("s", "binlog.000001", 4, "3e11fa47-71ca-11e1-9e33-c80aa9429562:x", clock.now);
        assertThat(new CheckpointCommitter("s", store, CheckpointPolicy.EVERY_BATCH.withCheckpointWins(false), clock)
                .resumePoint()).isEmpty();
        assertThatThrownBy(() -> new CheckpointCommitter("s", store, CheckpointPolicy.EVERY_BATCH, clock).resumePoint())
                .isInstanceOf(CheckpointException.class).hasMessageContaining("source 's'")
                .hasMessageContaining("fix or delete it");
    }
}
