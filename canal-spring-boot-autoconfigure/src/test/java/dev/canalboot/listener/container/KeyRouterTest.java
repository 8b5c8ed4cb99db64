package dev.canalboot.listener.container;

import dev.canalboot.testsupport.Events;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.canalboot.testsupport.Events.CUSTOMERS;
import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

class KeyRouterTest {

    private final Events events = new Events("main");

    @Test
    void rowsOfOneKeyShareAnOrderKeyAndEveryKeyValueHasItsOwn() {
        KeyRouter router = new KeyRouter(Ordering.KEY, "main");
        Set<Object> keys = new HashSet<>();
        for (long id = 0; id < 200; id++) {
            Object insert = router.key(events.insert(ORDERS, order(id, "A", "1.00", 1)));
            Object update = router.key(events.update(ORDERS, order(id, "A", "1.00", 1), order(id, "B", "2.00", 2)));
            Object delete = router.key(events.delete(ORDERS, order(id, "B", "2.00", 2)));
            assertThat(update).isEqualTo(insert).hasSameHashCodeAs(insert);
            assertThat(delete).isEqualTo(insert);
            keys.add(insert);
        }
        assertThat(keys).hasSize(200);
    }

    @Test
    void theSameKeyValueInAnotherTableIsAnotherKey() {
        KeyRouter router = new KeyRouter(Ordering.KEY, "main");
        for (long id = 0; id < 50; id++) {
            assertThat(router.key(events.insert(ORDERS, order(id, "A", "1.00", 1))))
                    .isNotEqualTo(router.key(events.customer(id, "c")));
        }
    }

    @Test
    void binaryKeyValuesCompareByContent() {
        KeyRouter.RowKey a = new KeyRouter.RowKey("t.b", new Object[]{new byte[]{1, 2, 3}});
        KeyRouter.RowKey b = new KeyRouter.RowKey("t.b", new Object[]{new byte[]{1, 2, 3}});
        KeyRouter.RowKey c = new KeyRouter.RowKey("t.b", new Object[]{new byte[]{1, 2, 4}});
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void anUpdateThatChangesTheKeyNamesTheNewKey() {
        KeyRouter router = new KeyRouter(Ordering.KEY, "main");
        RowChange move = events.update(ORDERS, order(1, "A", "1.00", 1), order(1001, "A", "1.00", 1));
        Object oldKey = router.key(move);
        assertThat(oldKey).isEqualTo(router.key(events.insert(ORDERS, order(1, "A", "1.00", 1))));
        assertThat(router.newKey(move, oldKey)).isEqualTo(router.key(events.insert(ORDERS, order(1001, "A", "1.00", 1))));
        RowChange sameKey = events.update(ORDERS, order(1, "A", "1.00", 1), order(1, "B", "1.00", 1));
        assertThat(router.newKey(sameKey, router.key(sameKey))).isNull();
    }

    @Test
    void aTableWithoutPrimaryKeyHasOneKeyForAllItsRows() {
        TableSchema noKey = new TableSchema("shop", "log", List.of(Events.column("id", 0, ColumnType.BIGINT, false),
                Events.column("name", 1, ColumnType.VARCHAR, false)));
        KeyRouter router = new KeyRouter(Ordering.KEY, "main");
        Set<Object> keys = new HashSet<>();
        for (long id = 0; id < 50; id++) {
            keys.add(router.key(events.insert(noKey, id, "x")));
        }
        assertThat(keys).containsExactly("shop.log");
    }

    @Test
    void tableOrderingHasOneKeyPerTableAndNoKeyChanges() {
        KeyRouter router = new KeyRouter(Ordering.TABLE, "main");
        for (long id = 0; id < 50; id++) {
            assertThat(router.key(events.insert(ORDERS, order(id, "A", "1.00", 1)))).isEqualTo("shop.orders");
        }
        RowChange move = events.update(ORDERS, order(1, "A", "1.00", 1), order(2, "A", "1.00", 1));
        assertThat(router.newKey(move, router.key(move))).isNull();
        assertThat(router.key(events.customer(1, "c"))).isEqualTo(CUSTOMERS.qualifiedName());
    }

    @Test
    void noOrderingHasNoKeys() {
        KeyRouter router = new KeyRouter(Ordering.NONE, "main");
        RowChange move = events.update(ORDERS, order(1, "A", "1.00", 1), order(2, "A", "1.00", 1));
        assertThat(router.key(move)).isNull();
        assertThat(router.newKey(move, null)).isNull();
    }
}
