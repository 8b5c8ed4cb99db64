package dev.canalboot.sample;

import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.RowHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The class-level style: one typed method per kind of change. */
@Component
@CanalListener(table = "shop.orders")
public class OrderRowHandler implements RowHandler<Order> {

    private static final Logger log = LoggerFactory.getLogger(OrderRowHandler.class);

    @Override
    public void onInsert(Order order) {
        log.info("[RowHandler]    insert {}", order.id());
    }

    @Override
    public void onUpdate(Order before, Order after) {
        log.info("[RowHandler]    update {} ({} -> {})", after.id(), before.status(), after.status());
    }

    @Override
    public void onDelete(Order order) {
        log.info("[RowHandler]    delete {}", order.id());
    }
}
