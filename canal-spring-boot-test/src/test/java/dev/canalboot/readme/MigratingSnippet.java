package dev.canalboot.readme;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.RowHandler;
import org.springframework.stereotype.Component;

/** README snippet, compiled: a RowHandler (Migrating). ReadmeSnippetsTest checks the README still shows these lines. */
class MigratingSnippet {

    record Order(long id) {
    }

    @Component
    @CanalListener(table = "shop.orders")          // was: a table annotation on the handler
    class OrderHandler implements RowHandler<Order> {
        public void onInsert(Order order) { }       // was: insert(Order)
        public void onUpdate(Order before, Order after) { }  // was: update(Order, Order)
        public void onDelete(Order order) { }       // was: delete(Order)
    }
}
