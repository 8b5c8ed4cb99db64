package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerFailureTest {

    static ListenerEndpoint endpoint(String id, String listener) {
        return new ListenerEndpoint(id, listener, List.of(TablePattern.parse("shop.orders")), Set.of(), "", null);
    }

    @Test
    void aListenerWhoseIdIsItsMethodIsNamedOnce() {
        ListenerFailure failure = new ListenerFailure("orders", endpoint("ordersListener#onOrder",
                "ordersListener#onOrder"), List.of(), new IllegalStateException("boom"), 3);
        assertThat(failure.describe()).isEqualTo("listener 'ordersListener#onOrder' of source 'orders' failed on -"
                + " at " + failure.position() + " after 3 attempts: java.lang.IllegalStateException: boom");
    }

    @Test
    void aListenerWithAnIdOfItsOwnIsNamedWithItsMethod() {
        ListenerFailure failure = new ListenerFailure("orders", endpoint("audit", "ordersListener#onOrder"),
                List.of(), new IllegalStateException("boom"), 1);
        assertThat(failure.describe()).startsWith("listener 'audit' (ordersListener#onOrder) of source 'orders'")
                .contains("after 1 attempt: ");
    }
}
