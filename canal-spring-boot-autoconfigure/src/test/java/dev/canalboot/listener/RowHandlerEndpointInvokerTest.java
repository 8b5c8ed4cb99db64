package dev.canalboot.listener;

import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.Row;
import dev.canalboot.testsupport.Events;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A class-level {@code @CanalListener}: the row type T taken from RowHandler<T>, and each change kind routed. */
class RowHandlerEndpointInvokerTest {

    private static final Supplier<ConversionService> CONVERSIONS = DefaultConversionService::getSharedInstance;

    private final Events events = new Events("s");

    public record Order(long id, String orderNo) {
    }

    /** Records each call as "kind:argument(s)". */
    public static class OrderHandler implements RowHandler<Order> {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onInsert(Order row) {
            calls.add("insert:" + row);
        }

        @Override
        public void onUpdate(Order before, Order after) {
            calls.add("update:" + before + "->" + after);
        }

        @Override
        public void onDelete(Order row) {
            calls.add("delete:" + row);
        }
    }

    /** Overrides onSnapshot, so a snapshot row must not reach onInsert. */
    public static class SnapshotHandler extends OrderHandler {
        @Override
        public void onSnapshot(Order row) {
            calls.add("snapshot:" + row);
        }
    }

    public static class RowTyped implements RowHandler<Row> {
        final List<Object> rows = new ArrayList<>();

        @Override
        public void onInsert(Row row) {
            rows.add(row);
        }
    }

    public static class MapTyped implements RowHandler<Map<String, Object>> {
        final List<Map<String, Object>> rows = new ArrayList<>();

        @Override
        public void onDelete(Map<String, Object> row) {
            rows.add(row);
        }
    }

    @SuppressWarnings("rawtypes")
    public static class RawHandler implements RowHandler {
    }

    public static class ObjectHandler implements RowHandler<Object> {
    }

    public static class StringHandler implements RowHandler<String> {
    }

    public static class IntegerKeyedMap implements RowHandler<Map<Integer, Object>> {
    }

    private static RowHandlerEndpointInvoker invoker(Object bean) {
        return RowHandlerEndpointInvoker.create(bean, bean.getClass(), "orderListener", CONVERSIONS);
    }

    @Test
    void routesEachChangeTypeToItsMethodWithRowsMappedToT() throws Exception {
        OrderHandler handler = new OrderHandler();
        RowHandlerEndpointInvoker invoker = invoker(handler);

        invoker.invoke(events.insert(ORDERS, order(1, "A-1", "1.00", 1)));
        invoker.invoke(events.update(ORDERS, order(1, "A-1", "1.00", 1), order(1, "A-2", "2.00", 2)));
        invoker.invoke(events.delete(ORDERS, order(1, "A-2", "2.00", 2)));

        assertThat(invoker.kind()).isEqualTo(EndpointInvoker.Kind.ROW);
        assertThat(handler.calls).containsExactly(
                "insert:Order[id=1, orderNo=A-1]",
                "update:Order[id=1, orderNo=A-1]->Order[id=1, orderNo=A-2]",
                "delete:Order[id=1, orderNo=A-2]");
    }

    @Test
    void snapshotRowsGoToOnSnapshotWhichDefaultsToOnInsert() throws Exception {
        OrderHandler plain = new OrderHandler();
        invoker(plain).invoke(events.snapshot(ORDERS, order(7, "S-7", "7.00", 7)));
        assertThat(plain.calls).containsExactly("insert:Order[id=7, orderNo=S-7]");

        SnapshotHandler overriding = new SnapshotHandler();
        invoker(overriding).invoke(events.snapshot(ORDERS, order(8, "S-8", "8.00", 8)));
        assertThat(overriding.calls).containsExactly("snapshot:Order[id=8, orderNo=S-8]");
    }

    @Test
    void rowAndMapTypesReceiveTheRowAsIsOrAsAMap() throws Exception {
        RowTyped rows = new RowTyped();
        var insert = events.insert(ORDERS, order(2, "B-2", "3.50", 4));
        invoker(rows).invoke(insert);
        assertThat(rows.rows).containsExactly(insert.after());

        MapTyped maps = new MapTyped();
        invoker(maps).invoke(events.delete(ORDERS, order(3, "C-3", "4.50", 5)));
        assertThat(maps.rows).singleElement().satisfies(map -> {
            assertThat(map).containsEntry("id", 3L).containsEntry("order_no", "C-3").containsEntry("quantity", 5);
        });
    }

    @Test
    void unoverriddenMethodsIgnoreThatKindOfChange() throws Exception {
        RowTyped rows = new RowTyped();
        RowHandlerEndpointInvoker invoker = invoker(rows);
        invoker.invoke(events.delete(ORDERS, order(4, "D-4", "1.00", 1)));
        invoker.invoke(events.update(ORDERS, order(4, "D-4", "1.00", 1), order(4, "D-5", "1.00", 1)));
        assertThat(rows.rows).isEmpty();
    }

    @Test
    void isNoBatchListener() {
        assertThatThrownBy(() -> invoker(new OrderHandler()).invokeBatch(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a batch listener");
    }

    @Test
    void aBeanThatIsNoRowHandlerIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> invoker(new Object()))
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessageContaining("@CanalListener orderListener")
                .hasMessageContaining("must implement " + RowHandler.class.getName())
                .hasMessageContaining("annotate methods instead");
    }

    @Test
    void aRowTypeThatCannotBeToldIsRefused() {
        for (Object bean : List.of(new RawHandler(), new ObjectHandler())) {
            assertThatThrownBy(() -> invoker(bean))
                    .isInstanceOf(ListenerDeclarationException.class)
                    .hasMessageContaining("cannot tell the row type T")
                    .hasMessageContaining(bean.getClass().getName())
                    .hasMessageContaining("RowHandler<Order>");
        }
    }

    @Test
    void theRowTypeIsResolvedFromTheBeanClassNotTheProxy() throws Exception {
        // The bean may be a proxy whose own class says nothing about T: the user class passed in is what counts.
        OrderHandler handler = new OrderHandler();
        RowHandlerEndpointInvoker invoker = RowHandlerEndpointInvoker.create(handler, OrderHandler.class, "l",
                CONVERSIONS);
        invoker.invoke(events.insert(ORDERS, order(5, "E-5", "1.00", 1)));
        assertThat(handler.calls).containsExactly("insert:Order[id=5, orderNo=E-5]");

        assertThatThrownBy(() -> RowHandlerEndpointInvoker.create(handler, ObjectHandler.class, "l", CONVERSIONS))
                .hasMessageContaining("cannot tell the row type T");
    }

    @Test
    void unsupportedRowTypesAreRefusedNamingTheType() {
        assertThatThrownBy(() -> invoker(new StringHandler()))
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessageContaining("RowHandler<java.lang.String> is not supported")
                .hasMessageContaining("Row, Map<String, Object> or a POJO/record");

        assertThatThrownBy(() -> invoker(new IntegerKeyedMap()))
                .isInstanceOf(ListenerDeclarationException.class)
                .hasMessageContaining("RowHandler<java.util.Map<java.lang.Integer, java.lang.Object>>")
                .hasMessageContaining("a row map must be Map<String, Object>")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
