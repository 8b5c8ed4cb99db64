package dev.canalboot.listener;

import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.testsupport.Events;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.support.DefaultConversionService;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding a listener method's parameters once and calling it with each event's arguments. */
class MethodEndpointInvokerTest {

    private final Events events = new Events("s");

    public record Order(long id, String orderNo) {
    }

    /** The listener methods under test; each records its arguments. */
    public static class Listeners {
        final List<Object> args = new ArrayList<>();

        public void all(RowChange change, Row row, Map<String, Object> map, ChangeType type, SourcePosition position,
                        TableSchema table) {
            args.addAll(Arrays.asList(change, row, map, type, position, table));
        }

        public void images(@BeforeImage Order before, @AfterImage Order after, Order current) {
            args.addAll(Arrays.asList(before, after, current));
        }

        public void batch(List<Order> orders) {
            args.add(orders);
        }

        public void rowChanges(List<RowChange> changes) {
            args.add(changes);
        }

        public void ddl(SchemaChange change) {
            args.add(change);
        }

        public void tx(TransactionBoundary boundary) {
            args.add(boundary);
        }

        public void fails(RowChange change) throws Exception {
            throw new java.io.IOException("listener failed on " + change.type());
        }

        public void none() {
        }

        public void text(String text) {
        }

        public void bothImages(@BeforeImage @AfterImage Order order) {
        }

        public void imageOnChange(@BeforeImage RowChange change) {
        }

        public void mixed(SchemaChange ddl, RowChange row) {
        }

        public void batchAndRow(List<RowChange> changes, Row row) {
        }

        public void twoLists(List<RowChange> a, List<RowChange> b) {
        }

        public void ddlTwice(SchemaChange one, SchemaChange two) {
        }

        public void twoOrders(Order a, Order b) {
        }

        @SuppressWarnings("rawtypes")
        public void rawList(List changes) {
        }

        public void listOfText(List<String> changes) {
        }

        public void wrongMap(Map<Integer, Object> row) {
        }
    }

    private final Listeners listeners = new Listeners();

    private MethodEndpointInvoker invoker(String name) {
        Method method = Arrays.stream(Listeners.class.getMethods()).filter(m -> m.getName().equals(name))
                .findFirst().orElseThrow();
        return MethodEndpointInvoker.create(listeners, method, method, "listeners#" + name,
                DefaultConversionService::getSharedInstance);
    }

    @Test
    void eachRowParameterGetsItsPartOfTheChange() throws Exception {
        MethodEndpointInvoker invoker = invoker("all");
        assertThat(invoker.kind()).isEqualTo(EndpointInvoker.Kind.ROW);
        RowChange change = events.insert(ORDERS, order(7, "A-7", "1.00", 2));
        invoker.invoke(change);
        assertThat(listeners.args).containsExactly(change, change.row(), change.row().toMap(), ChangeType.INSERT,
                change.position(), ORDERS);
    }

    @Test
    void beforeAndAfterImagesAndTheUnannotatedRowImage() throws Exception {
        MethodEndpointInvoker invoker = invoker("images");
        invoker.invoke(events.update(ORDERS, order(1, "old", "1.00", 1), order(1, "new", "1.00", 1)));
        assertThat(listeners.args).containsExactly(new Order(1, "old"), new Order(1, "new"), new Order(1, "new"));
        listeners.args.clear();
        invoker.invoke(events.delete(ORDERS, order(2, "gone", "1.00", 1)));
        assertThat(listeners.args).as("a delete has no after image; the row is the before image")
                .containsExactly(new Order(2, "gone"), null, new Order(2, "gone"));
    }

    @Test
    void aBatchListenerGetsTheRowsConvertedToItsListElement() throws Exception {
        MethodEndpointInvoker pojos = invoker("batch");
        assertThat(pojos.kind()).isEqualTo(EndpointInvoker.Kind.ROW_BATCH);
        RowChange one = events.insert(ORDERS, order(1, "A", "1.00", 1));
        RowChange two = events.insert(ORDERS, order(2, "B", "1.00", 1));
        pojos.invokeBatch(List.of(one, two));
        invoker("rowChanges").invokeBatch(List.of(one, two));
        assertThat(listeners.args).containsExactly(List.of(new Order(1, "A"), new Order(2, "B")), List.of(one, two));
        assertThatThrownBy(() -> invoker("all").invokeBatch(List.of(one)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not a batch listener");
    }

    @Test
    void schemaAndTransactionListeners() throws Exception {
        assertThat(invoker("ddl").kind()).isEqualTo(EndpointInvoker.Kind.SCHEMA);
        assertThat(invoker("tx").kind()).isEqualTo(EndpointInvoker.Kind.TRANSACTION);
        SchemaChange ddl = events.ddl("shop", "orders", "ALTER TABLE orders ADD x INT");
        invoker("ddl").invoke(ddl);
        assertThat(listeners.args).containsExactly(ddl);
    }

    @Test
    void whatTheListenerThrowsComesOutUnwrapped() {
        assertThatThrownBy(() -> invoker("fails").invoke(events.insert(ORDERS, order(1, "A", "1.00", 1))))
                .isInstanceOf(java.io.IOException.class).hasMessage("listener failed on INSERT");
    }

    @Test
    void parametersThatCannotBeBoundAreDeclarationErrorsNamingTheListenerAndTheWayOut() {
        assertDeclarationError("none", "declares no parameter; supported are RowChange");
        assertDeclarationError("text", "parameter 0 (java.lang.String) is not a supported parameter type");
        assertDeclarationError("bothImages", "is annotated both @BeforeImage and @AfterImage");
        assertDeclarationError("imageOnChange", "is annotated @BeforeImage/@AfterImage but is not a row image");
        assertDeclarationError("mixed", "mixes parameters of different listener kinds");
        assertDeclarationError("batchAndRow", "mixes parameters of different listener kinds");
        assertDeclarationError("twoLists", "is a batch listener (List parameter) and cannot declare other parameters");
        assertDeclarationError("ddlTwice", "a SchemaChange listener must declare only that parameter");
        assertDeclarationError("twoOrders", "declares several Order parameters without @BeforeImage/@AfterImage");
        assertDeclarationError("rawList", "is a batch list without element type; declare e.g. List<RowChange>");
        assertDeclarationError("listOfText", "has an unsupported element type");
        assertDeclarationError("wrongMap", "a row map must be Map<String, Object>");
    }

    private void assertDeclarationError(String method, String problem) {
        assertThatThrownBy(() -> invoker(method)).as(method).isInstanceOf(ListenerDeclarationException.class)
                .hasMessageStartingWith("@CanalListener listeners#" + method + ": ").hasMessageContaining(problem);
    }
}
