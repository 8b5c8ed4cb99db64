package dev.canalboot.listener.container;

import dev.canalboot.listener.Events;
import dev.canalboot.listener.container.ListenerConcurrency.Ordering;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.TableSchema;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.canalboot.listener.Events.CUSTOMERS;
import static dev.canalboot.listener.Events.ORDERS;
import static dev.canalboot.listener.Events.order;
import static org.assertj.core.api.Assertions.assertThat;

class KeyRouterTest {

    private final Events events = new Events("main");

    @Test
    void rowsOfOneKeyGoToOneWorkerAndKeysSpreadOverAll() {
        KeyRouter router = new KeyRouter(8, Ordering.KEY, "main");
        Set<Integer> used = new HashSet<>();
        for (long id = 0; id < 200; id++) {
            int insert = router.worker(events.insert(ORDERS, order(id, "A", "1.00", 1)));
            int update = router.worker(events.update(ORDERS, order(id, "A", "1.00", 1), order(id, "B", "2.00", 2)));
            int delete = router.worker(events.delete(ORDERS, order(id, "B", "2.00", 2)));
            assertThat(update).isEqualTo(insert);
            assertThat(delete).isEqualTo(insert);
            used.add(insert);
        }
        assertThat(used).hasSize(8);
    }

    @Test
    void theSameKeyValueInAnotherTableIsAnotherKey() {
        KeyRouter router = new KeyRouter(64, Ordering.KEY, "main");
        long differing = 0;
        for (long id = 0; id < 50; id++) {
            if (router.worker(events.insert(ORDERS, order(id, "A", "1.00", 1)))
                    != router.worker(events.customer(id, "c"))) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(25);
    }

    @Test
    void anUpdateThatChangesTheKeyNamesTheNewKeysWorker() {
        KeyRouter router = new KeyRouter(16, Ordering.KEY, "main");
        int crossings = 0;
        for (long id = 0; id < 100; id++) {
            RowChange move = events.update(ORDERS, order(id, "A", "1.00", 1), order(id + 1000, "A", "1.00", 1));
            int oldWorker = router.worker(move);
            int newWorker = router.newKeyWorker(move, oldWorker);
            assertThat(oldWorker).isEqualTo(router.worker(events.insert(ORDERS, order(id, "A", "1.00", 1))));
            if (newWorker >= 0) {
                crossings++;
                assertThat(newWorker).isEqualTo(router.worker(events.insert(ORDERS, order(id + 1000, "A", "1.00", 1))))
                        .isNotEqualTo(oldWorker);
            }
        }
        assertThat(crossings).isGreaterThan(50);
        RowChange sameKey = events.update(ORDERS, order(1, "A", "1.00", 1), order(1, "B", "1.00", 1));
        assertThat(router.newKeyWorker(sameKey, router.worker(sameKey))).isEqualTo(-1);
    }

    @Test
    void aTableWithoutPrimaryKeyUsesOneWorkerForAllItsRows() {
        TableSchema noKey = new TableSchema("shop", "log", List.of(Events.column("id", 0, ColumnType.BIGINT, false),
                Events.column("name", 1, ColumnType.VARCHAR, false)));
        KeyRouter router = new KeyRouter(8, Ordering.KEY, "main");
        Set<Integer> used = new HashSet<>();
        for (long id = 0; id < 50; id++) {
            used.add(router.worker(events.insert(noKey, id, "x")));
        }
        assertThat(used).hasSize(1);
    }

    @Test
    void tableOrderingUsesOneWorkerPerTable() {
        KeyRouter router = new KeyRouter(8, Ordering.TABLE, "main");
        int orders = router.worker(events.insert(ORDERS, order(1, "A", "1.00", 1)));
        for (long id = 0; id < 50; id++) {
            assertThat(router.worker(events.insert(ORDERS, order(id, "A", "1.00", 1)))).isEqualTo(orders);
        }
        RowChange move = events.update(ORDERS, order(1, "A", "1.00", 1), order(2, "A", "1.00", 1));
        assertThat(router.newKeyWorker(move, router.worker(move))).isEqualTo(-1);
        assertThat(router.worker(events.customer(1, "c"))).isBetween(0, 7);
        assertThat(CUSTOMERS.primaryKey()).containsExactly("id");
    }

    @Test
    void noOrderingDealsRowsToTheWorkersInTurn() {
        KeyRouter router = new KeyRouter(3, Ordering.NONE, "main");
        RowChange row = events.insert(ORDERS, order(1, "A", "1.00", 1));
        assertThat(List.of(router.worker(row), router.worker(row), router.worker(row), router.worker(row)))
                .containsExactly(0, 1, 2, 0);
    }
}
