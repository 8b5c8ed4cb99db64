package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.testsupport.Events;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What one declared listener receives: kinds, tables (with exclusions), change types and DDL scope. */
class ListenerEndpointTest {

    private final Events events = new Events("s");

    static EndpointInvoker invoker(EndpointInvoker.Kind kind) {
        return new EndpointInvoker() {
            @Override
            public Kind kind() {
                return kind;
            }

            @Override
            public void invoke(ChangeEvent event) {
            }

            @Override
            public void invokeBatch(List<RowChange> rows) {
            }
        };
    }

    private static ListenerEndpoint endpoint(EndpointInvoker.Kind kind, List<String> tables, List<String> excluded,
                                             Set<ChangeType> types) {
        return new ListenerEndpoint("id", "bean#method", tables.stream().map(TablePattern::parse).toList(),
                excluded.stream().map(TablePattern::parse).toList(), types, null, invoker(kind));
    }

    @Test
    void aRowListenerGetsRowsOfItsTablesAndNothingElse() {
        ListenerEndpoint rows = endpoint(EndpointInvoker.Kind.ROW, List.of("shop.orders"), List.of(), Set.of());
        assertThat(rows.accepts(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isTrue();
        assertThat(rows.accepts(events.customer(1, "c"))).as("another table of the schema").isFalse();
        assertThat(rows.accepts(events.ddl("shop", "orders", "ALTER TABLE orders ADD x INT"))).isFalse();
        assertThat(rows.accepts(events.begin())).isFalse();
        assertThat(rows.events()).as("no types declared: all").containsExactlyInAnyOrder(ChangeType.values());
    }

    @Test
    void theLastTableMatchedIsCachedPerTableNotReusedForTheNext() {
        ListenerEndpoint rows = endpoint(EndpointInvoker.Kind.ROW_BATCH, List.of("shop.orders"), List.of(), Set.of());
        assertThat(rows.accepts(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isTrue();
        assertThat(rows.accepts(events.customer(1, "c"))).isFalse();
        assertThat(rows.accepts(events.insert(ORDERS, order(2, "B", "1.00", 1)))).isTrue();
        assertThat(rows.accepts(events.customer(2, "d"))).isFalse();
    }

    @Test
    void changeTypesFilterRows() {
        ListenerEndpoint deletes = endpoint(EndpointInvoker.Kind.ROW, List.of("shop.*"), List.of(),
                Set.of(ChangeType.DELETE));
        assertThat(deletes.accepts(events.delete(ORDERS, order(1, "A", "1.00", 1)))).isTrue();
        assertThat(deletes.accepts(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isFalse();
        assertThat(deletes.accepts(events.snapshot(ORDERS, order(1, "A", "1.00", 1)))).isFalse();
        assertThat(deletes.events()).containsExactly(ChangeType.DELETE);
    }

    @Test
    void excludedTablesWinOverMatchingPatternsForRowsAndDdl() {
        ListenerEndpoint rows = endpoint(EndpointInvoker.Kind.ROW, List.of("shop.*"), List.of("shop.customers"),
                Set.of());
        assertThat(rows.accepts(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isTrue();
        assertThat(rows.accepts(events.customer(1, "c"))).isFalse();
        ListenerEndpoint ddl = endpoint(EndpointInvoker.Kind.SCHEMA, List.of("shop.*"), List.of("shop.customers"),
                Set.of());
        assertThat(ddl.accepts(events.ddl("shop", "orders", "ALTER TABLE orders ADD x INT"))).isTrue();
        assertThat(ddl.accepts(events.ddl("shop", "customers", "ALTER TABLE customers ADD x INT"))).isFalse();
    }

    @Test
    void aSchemaListenerGetsDdlOfItsTablesAndSchemaWideDdlOfItsSchemas() {
        ListenerEndpoint ddl = endpoint(EndpointInvoker.Kind.SCHEMA, List.of("shop.orders"), List.of(), Set.of());
        assertThat(ddl.accepts(events.ddl("shop", "orders", "ALTER TABLE orders ADD x INT"))).isTrue();
        assertThat(ddl.accepts(events.ddl("shop", "customers", "ALTER TABLE customers ADD x INT"))).isFalse();
        assertThat(ddl.accepts(events.ddl("shop", null, "ALTER DATABASE shop CHARACTER SET utf8mb4")))
                .as("schema-wide DDL of a schema it listens to").isTrue();
        assertThat(ddl.accepts(events.ddl("crm", null, "ALTER DATABASE crm CHARACTER SET utf8mb4"))).isFalse();
        assertThat(ddl.accepts(events.ddl(null, null, "CREATE USER u"))).as("DDL of no schema").isFalse();
        assertThat(ddl.accepts(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isFalse();
    }

    @Test
    void aTransactionListenerGetsEveryBoundaryAndNoRow() {
        ListenerEndpoint tx = endpoint(EndpointInvoker.Kind.TRANSACTION, List.of("shop.orders"), List.of(), Set.of());
        assertThat(tx.accepts(events.begin())).isTrue();
        assertThat(tx.accepts(events.commit("7"))).isTrue();
        assertThat(tx.accepts(events.insert(ORDERS, order(1, "A", "1.00", 1)))).isFalse();
    }

    @Test
    void noTablePatternIsRefusedNamingTheListener() {
        assertThatThrownBy(() -> endpoint(EndpointInvoker.Kind.ROW, List.of(), List.of(), Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("@CanalListener bean#method: declares no table pattern");
    }

    @Test
    void anEmptySourceMeansTheOnlySourceAndTheDescriptionNamesADeclaredOne() {
        ListenerEndpoint any = endpoint(EndpointInvoker.Kind.ROW, List.of("shop.orders"), List.of(), Set.of());
        assertThat(any.source()).isEmpty();
        assertThat(any.tables()).containsExactly("shop.orders");
        ListenerEndpoint named = new ListenerEndpoint("id", "bean#method", List.of(TablePattern.parse("shop.*")),
                Set.of(ChangeType.INSERT), "second", invoker(EndpointInvoker.Kind.ROW));
        assertThat(named.source()).isEqualTo("second");
        assertThat(named.toString()).contains("source=second").contains("INSERT");
        assertThat(any.toString()).doesNotContain("source=");
    }
}
