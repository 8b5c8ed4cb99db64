package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.Events;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

/** One run of events to the listeners that want them: event listeners per event in order, then batch listeners. */
class EventDeliveryTest {

    private final Events events = new Events("s");
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private ListenerEndpoint endpoint(String id, EndpointInvoker.Kind kind, String table) {
        return new ListenerEndpoint(id, id, List.of(TablePattern.parse(table)), Set.of(), "s", new EndpointInvoker() {
            @Override
            public Kind kind() {
                return kind;
            }

            @Override
            public void invoke(ChangeEvent event) {
                calls.add(id + ":" + describe(event));
            }

            @Override
            public void invokeBatch(List<RowChange> rows) {
                calls.add(id + ":" + rows.stream().map(EventDeliveryTest::describe).toList());
            }
        });
    }

    private static String describe(ChangeEvent event) {
        return event instanceof RowChange row ? row.tableSchema().table() + "#" + row.row().getLong("id")
                : event.getClass().getSimpleName();
    }

    private static EventDelivery delivery(ListenerEndpoint... endpoints) {
        return new EventDelivery(List.of(endpoints), new RetryingListenerInvoker("s",
                ContainerSettings.defaults().withRetryPolicy(RetryPolicy.noRetry()), () -> false, () -> true));
    }

    @Test
    void eventListenersGetEachEventInDeclarationOrderAndBatchListenersTheRunsRowsAfterThem() throws Exception {
        EventDelivery delivery = delivery(
                endpoint("batch", EndpointInvoker.Kind.ROW_BATCH, "shop.orders"),
                endpoint("rows", EndpointInvoker.Kind.ROW, "shop.*"),
                endpoint("tx", EndpointInvoker.Kind.TRANSACTION, "shop.*"));
        int delivered = delivery.deliver(List.of(events.begin(), events.insert(ORDERS, order(1, "A", "1.00", 1)),
                events.customer(2, "c"), events.insert(ORDERS, order(3, "B", "1.00", 1)), events.commit("x")));

        assertThat(calls).containsExactly("tx:TransactionBoundary", "rows:orders#1", "rows:customers#2",
                "rows:orders#3", "tx:TransactionBoundary", "batch:[orders#1, orders#3]");
        assertThat(delivered).as("rows delivered to at least one listener; boundaries do not count").isEqualTo(3);
    }

    @Test
    void rowsNoListenerWantsAreNeitherDeliveredNorCounted() throws Exception {
        EventDelivery delivery = delivery(endpoint("orders", EndpointInvoker.Kind.ROW, "shop.orders"));
        RowChange customer = events.customer(1, "c");
        RowChange contact = events.contact(2, "d");
        assertThat(delivery.wanted(customer)).isFalse();
        assertThat(delivery.wanted(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isTrue();
        assertThat(delivery.deliver(List.of(customer, contact))).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void aRowWantedByOnlyABatchListenerIsWantedAndCountedOnce() throws Exception {
        EventDelivery delivery = delivery(endpoint("a", EndpointInvoker.Kind.ROW_BATCH, "shop.*"),
                endpoint("b", EndpointInvoker.Kind.ROW_BATCH, "shop.customers"));
        RowChange customer = events.customer(1, "c");
        assertThat(delivery.wanted(customer)).isTrue();
        assertThat(delivery.deliver(List.of(customer, events.insert(ORDERS, order(2, "A", "1.00", 1)))))
                .isEqualTo(2);
        assertThat(calls).containsExactly("a:[customers#1, orders#2]", "b:[customers#1]");
    }

    @Test
    void aBatchListenerWithoutMatchingRowsIsNotCalled() throws Exception {
        EventDelivery delivery = delivery(endpoint("batch", EndpointInvoker.Kind.ROW_BATCH, "crm.*"),
                endpoint("ddl", EndpointInvoker.Kind.SCHEMA, "shop.*"));
        assertThat(delivery.deliver(List.of(events.ddl("shop", "orders", "ALTER TABLE orders ADD x INT"),
                events.customer(1, "c")))).isZero();
        assertThat(calls).containsExactly("ddl:SchemaChange");
    }
}
