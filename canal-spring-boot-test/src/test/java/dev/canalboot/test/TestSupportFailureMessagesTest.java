package dev.canalboot.test;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.StaticApplicationContext;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the waiting helpers say when what a test waits for does not happen. */
@CanalListenerTest(properties = {"canal.listener.retry.max-attempts=2", "canal.listener.retry.initial-interval=10ms"})
@Import(TestSupportFailureMessagesTest.RejectingListener.class)
class TestSupportFailureMessagesTest {

    static final TestTable ITEMS = TestTable.builder("shop", "items").primaryKey("id", ColumnType.INT).build();

    @Autowired
    TestChangeSource source;

    @Autowired
    ChangeRecorder recorder;

    @Test
    void aBatchRolledBackByTheStopErrorHandlerIsNamedWhenAcknowledgementTimesOut() {
        ChangeBatch batch = source.send(ITEMS.insert(7));

        // Default error handler 'stop': after 2 attempts the batch is rolled back and the container stops.
        assertThatThrownBy(() -> source.awaitAcknowledged(batch, Duration.ofSeconds(2)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("Batch 1 [INSERT shop.items @test-binlog.000001:104 after={id=7}] of test source "
                        + "'default' was not acknowledged within PT2S; acknowledged: [], rolled back: [1]");
        assertThat(source.rolledBack()).containsExactly(batch);
        assertThat(recorder.failures()).hasSize(2).allSatisfy(failure -> assertThat(failure)
                .startsWith("listener 'reject-items' of source 'default', attempt ")
                .endsWith("java.lang.IllegalStateException: rejected 7"));
        assertThatThrownBy(() -> recorder.awaitRowChange(RowChangeCondition.on("shop.items"), Duration.ofMillis(50)))
                .hasMessageContaining("Row changes delivered (0): none")
                .hasMessageContaining("Failed listener calls (2):\n  listener 'reject-items' of source 'default', attempt 1");
    }

    @Test
    void sourcesThatDoNotStreamAreNamedWithTheirState() {
        StaticApplicationContext context = new StaticApplicationContext();
        context.getBeanFactory().registerSingleton("idle", new TestChangeSource("orders"));
        context.refresh();

        assertThatThrownBy(() -> new SourcesStreaming(Duration.ofMillis(100)).await(context))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Change sources did not stream within 0 s: [orders IDLE]. A source left IDLE "
                        + "is paused or not auto-started");
    }

    static class RejectingListener {

        @CanalListener(id = "reject-items", table = "shop.items")
        void onItem(RowChange change) {
            throw new IllegalStateException("rejected " + change.row().getInteger("id"));
        }
    }
}
