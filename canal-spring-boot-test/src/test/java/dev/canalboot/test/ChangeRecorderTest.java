package dev.canalboot.test;

import dev.canalboot.listener.container.ListenerEndpoint;
import dev.canalboot.listener.container.TablePattern;
import dev.canalboot.listener.container.ContainerObserver.ListenerScope;
import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the recorder keeps of the container's listener calls (as the container reports them to its observers) and
 * what its waits return or say. The recorder in a real context: {@code OrderListenerTest} and the other examples.
 */
class ChangeRecorderTest {

    private static final TestTable ITEMS = TestTable.builder("shop", "items").primaryKey("id", ColumnType.INT)
            .column("name", ColumnType.VARCHAR).build();

    private final ChangeRecorder recorder = new ChangeRecorder();

    private static ListenerEndpoint endpoint(String id) {
        return new ListenerEndpoint(id, "bean#" + id, List.of(TablePattern.parse("shop.*")), Set.of(), "",
                new EndpointInvoker() {
                    @Override
                    public Kind kind() {
                        return Kind.ROW;
                    }

                    @Override
                    public void invoke(ChangeEvent event) {
                    }

                    @Override
                    public void invokeBatch(List<RowChange> rows) {
                    }
                });
    }

    /** One listener call as the container reports it: started, then closed with what it threw. */
    private void call(String listener, ChangeEvent event, Throwable error) {
        ListenerScope scope = recorder.listenerStarting("orders", endpoint(listener), event, null);
        scope.close(error);
    }

    @Test
    void aChangeIsRecordedOnceItsListenerReturnedAndOnceAcrossListeners() {
        RowChange insert = ITEMS.insert(1, "ada");

        call("audit", insert, null);
        call("billing", insert, null);

        assertThat(recorder.rowChanges()).containsExactly(insert);
        assertThat(recorder.deliveries()).containsExactly(new ChangeRecorder.Delivery("orders", "audit", insert),
                new ChangeRecorder.Delivery("orders", "billing", insert));
        assertThat(recorder.deliveredTo("billing")).containsExactly(insert);
        assertThat(recorder.deliveredTo("other")).isEmpty();
    }

    @Test
    void aCallThatThrewRecordsNothingAndItsFailureIsListed() {
        RowChange insert = ITEMS.insert(1, "ada");

        call("audit", insert, new IllegalStateException("no"));
        recorder.listenerFailed("orders", "audit", 1, new IllegalStateException("no"));

        assertThat(recorder.rowChanges()).isEmpty();
        assertThat(recorder.deliveries()).isEmpty();
        assertThat(recorder.failures())
                .containsExactly("listener 'audit' of source 'orders', attempt 1: java.lang.IllegalStateException: no");
    }

    @Test
    void aBatchListenersRowsAreRecordedEach() {
        RowChange first = ITEMS.insert(1, "ada");
        RowChange second = ITEMS.insert(2, "bob");

        recorder.listenerStarting("orders", endpoint("bulk"), null, List.of(first, second)).close(null);

        assertThat(recorder.rowChanges()).containsExactly(first, second);
        assertThat(recorder.deliveredTo("bulk")).containsExactly(first, second);
    }

    @Test
    void awaitingReturnsTheFirstMatchingChangesInDeliveryOrder() {
        RowChange ada = ITEMS.insert(1, "ada");
        RowChange bob = ITEMS.insert(2, "bob");
        RowChange gone = ITEMS.delete(1, "ada");
        call("l", ada, null);
        call("l", bob, null);
        call("l", gone, null);

        assertThat(recorder.awaitRowChange(RowChangeCondition.on("SHOP.items").with("name", "bob"))).isSameAs(bob);
        assertThat(recorder.awaitRowChanges(RowChangeCondition.any(), 2)).containsExactly(ada, bob);
        assertThat(recorder.awaitRowChange(RowChangeCondition.any().ofType(ChangeType.DELETE).with("id", 1)))
                .isSameAs(gone);
    }

    @Test
    void aWaitEndsAsSoonAsTheChangeIsDelivered() throws Exception {
        RowChange ada = ITEMS.insert(1, "ada");
        CompletableFuture<RowChange> awaited = CompletableFuture.supplyAsync(() ->
                recorder.awaitRowChange(RowChangeCondition.on("shop.items"), Duration.ofSeconds(30)));

        call("l", ada, null);

        assertThat(awaited.get(30, TimeUnit.SECONDS)).isSameAs(ada);
    }

    @Test
    void aWaitThatTimesOutListsWhatArrivedAndWhatFailed() {
        call("l", ITEMS.insert(1, "ada"), null);
        recorder.listenerFailed("orders", "l", 2, new IllegalArgumentException("bad row"));

        assertThatThrownBy(() -> recorder.awaitRowChanges(RowChangeCondition.on("shop.items").with("id", 2), 1,
                Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expected 1 x row change of shop.items where id=2 delivered to listeners within 50 ms, but 0"
                        + " matched.\nRow changes delivered (1):\n  " + ITEMS.insert(1, "ada").toString()
                        + "\nFailed listener calls (1):\n  listener 'l' of source 'orders', attempt 2:"
                        + " java.lang.IllegalArgumentException: bad row");
    }

    @Test
    void clearingForgetsEverything() {
        call("l", ITEMS.insert(1, "ada"), null);
        recorder.listenerFailed("orders", "l", 1, new IllegalStateException());

        recorder.clear();

        assertThat(recorder.rowChanges()).isEmpty();
        assertThat(recorder.deliveries()).isEmpty();
        assertThat(recorder.failures()).isEmpty();
        assertThat(recorder).hasToString("ChangeRecorder[0 row changes, listeners [], 0 failures]");
    }
}
