package dev.canalboot.source;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ChangeSource} must do, against a real server: start, poll, ack, rollback, close, poll after
 * close, start again after a failure (a failed source keeps its state and {@link ChangeSource#lastError()} through
 * close until the next start), and count what it read ({@link ChangeSource#statistics()}). A new source type passes
 * this by implementing the four hooks; {@link SourceLifecycle} gives it the state rules.
 */
public abstract class ChangeSourceLifecycleContract {

    private final List<ChangeSource> sources = new ArrayList<>();

    /** A new, unstarted source reading the table {@link #table()}, giving up after that many reconnect attempts. */
    protected abstract ChangeSource newSource(int maxReconnectAttempts) throws Exception;

    /** {@code schema.table} with an INT primary key {@code id}. */
    protected abstract String table();

    protected abstract void insert(int id) throws Exception;

    /** Takes the source's server away, or its privileges, so that its one reconnect attempt fails. */
    protected abstract void breakServer(ChangeSource source) throws Exception;

    /** Brings the server back after {@link #breakServer}. */
    protected abstract void repairServer() throws Exception;

    protected ChangeSource source(int maxReconnectAttempts) throws Exception {
        ChangeSource source = newSource(maxReconnectAttempts);
        sources.add(source);
        return source;
    }

    @AfterEach
    void closeSources() {
        sources.forEach(ChangeSource::close);
    }

    @Test
    void startPollAckDeliversEachRowOnce() throws Exception {
        ChangeSource source = source(3);
        source.start();
        assertThat(source.state()).isIn(SourceState.CONNECTING, SourceState.CONNECTED);
        insert(1);
        assertThat(idsUntil(source, 1, true)).containsExactly(1);
        insert(2);
        assertThat(idsUntil(source, 2, true)).as("1 was acknowledged: not again").containsExactly(2);
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
        SourceStatistics statistics = source.statistics();
        assertThat(statistics.server()).isNotBlank();
        assertThat(statistics.bytesRead()).isPositive();
        assertThat(statistics.lastEventTimestamp()).isNotNull();
    }

    @Test
    void rollbackDeliversTheBatchAgain() throws Exception {
        ChangeSource source = source(3);
        source.start();
        insert(11);
        ChangeBatch first = batchWith(source, 11);
        source.rollback(first);
        assertThat(idsUntil(source, 11, true)).contains(11);
    }

    @Test
    void pollAfterCloseIsAnErrorNamingTheSourceAndCloseTwiceIsHarmless() throws Exception {
        ChangeSource source = source(3);
        source.start();
        source.close();
        assertThat(source.state()).isEqualTo(SourceState.STOPPED);
        assertThatThrownBy(() -> source.poll(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(source.name()).hasMessageContaining("closed");
        source.close();
    }

    @Test
    void startedAgainAfterAFailureItDeliversWhatCameMeanwhile() throws Exception {
        ChangeSource source = source(1);
        source.start();
        insert(21);
        assertThat(idsUntil(source, 21, true)).containsExactly(21);

        breakServer(source);
        SourceException failure = awaitFailure(source);
        assertThat(failure.getMessage()).contains(source.name());
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
        assertThat(source.statistics().reconnects()).as("the one attempt").isEqualTo(1);
        assertThat(source.lastError()).isSameAs(failure);

        repairServer();
        insert(22);
        source.close();
        assertThat(source.state()).as("closing a failed source keeps why it failed").isEqualTo(SourceState.FAILED);
        assertThat(source.lastError()).isSameAs(failure);
        assertThatThrownBy(() -> source.poll(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        source.start();
        assertThat(source.lastError()).isNull();
        assertThat(idsUntil(source, 22, true)).containsExactly(22);
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }

    private List<Integer> ids(ChangeBatch batch) {
        List<Integer> ids = new ArrayList<>();
        for (ChangeEvent event : batch.events()) {
            if (event instanceof RowChange row && row.qualifiedTable().equals(table())) {
                ids.add(row.after().getInteger("id"));
            }
        }
        return ids;
    }

    /** Polls until a batch holding {@code id} arrives (acknowledging those before it) and returns it unacknowledged. */
    private ChangeBatch batchWith(ChangeSource source, int id) throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < guard) {
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                if (ids(batch).contains(id)) {
                    return batch;
                }
                source.ack(batch);
            }
        }
        throw new AssertionError("row " + id + " did not arrive");
    }

    /** Polls until {@code lastId} arrived, acknowledging if {@code ack}; the ids seen. */
    private List<Integer> idsUntil(ChangeSource source, int lastId, boolean ack) throws InterruptedException {
        List<Integer> seen = new ArrayList<>();
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!seen.contains(lastId)) {
            if (System.nanoTime() > guard) {
                throw new AssertionError("row " + lastId + " did not arrive; rows so far: " + seen);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(200));
            if (batch != null) {
                seen.addAll(ids(batch));
                if (ack) {
                    source.ack(batch);
                }
            }
        }
        return seen;
    }

    private static SourceException awaitFailure(ChangeSource source) throws InterruptedException {
        long guard = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < guard) {
            try {
                ChangeBatch batch = source.poll(Duration.ofMillis(200));
                if (batch != null) {
                    source.ack(batch);
                }
            } catch (SourceException e) {
                return e;
            }
        }
        throw new AssertionError("the source did not fail; state " + source.state());
    }
}
