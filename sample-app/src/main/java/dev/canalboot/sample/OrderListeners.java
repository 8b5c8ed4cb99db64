package dev.canalboot.sample;

import dev.canalboot.listener.AfterImage;
import dev.canalboot.listener.BeforeImage;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/** Each supported listener style once, printing what it receives. */
@Component
public class OrderListeners {

    private static final Logger log = LoggerFactory.getLogger(OrderListeners.class);

    /** The full change: type, table, position, before and after images. */
    @CanalListener(table = "shop.orders")
    public void onChange(RowChange change) {
        log.info("[RowChange]     {} {} at {} changed {}", change.type(), change.qualifiedTable(), change.position(),
                change.changedColumns());
    }

    /** The row mapped onto a record: inserts only. */
    @CanalListener(table = "shop.orders", events = ChangeType.INSERT)
    public void onNewOrder(Order order) {
        log.info("[record]        new order {} of {} for {}", order.id(), order.customer(), order.amount());
    }

    /** Before and after image of an update, both mapped. */
    @CanalListener(table = "shop.orders", events = ChangeType.UPDATE)
    public void onOrderUpdate(@BeforeImage Order before, @AfterImage Order after) {
        log.info("[before/after]  order {}: {} -> {}, {} -> {}", after.id(), before.status(), after.status(),
                before.amount(), after.amount());
    }

    /** The row as a column-name map: deletes only (the before image). */
    @CanalListener(table = "shop.orders", events = ChangeType.DELETE)
    public void onOrderDelete(Map<String, Object> row) {
        log.info("[Map]           deleted {}", row);
    }

    /** All matching rows of one batch in one call. */
    @CanalListener(table = "shop.*")
    public void onBatch(List<Order> orders) {
        log.info("[batch]         {} order row(s) in this batch", orders.size());
    }

    /** DDL on the shop schema. */
    @CanalListener(table = "shop.*")
    public void onSchemaChange(SchemaChange ddl) {
        log.info("[SchemaChange]  {}", ddl.sql());
    }
}
