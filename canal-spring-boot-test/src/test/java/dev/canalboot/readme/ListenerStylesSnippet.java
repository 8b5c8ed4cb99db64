package dev.canalboot.readme;

import dev.canalboot.listener.AfterImage;
import dev.canalboot.listener.BeforeImage;
import dev.canalboot.listener.CanalListener;
import dev.canalboot.listener.RowHandler;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import org.springframework.stereotype.Component;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/** README snippet, compiled: every listener style (Listener styles). ReadmeSnippetsTest checks the README still shows these lines. */
class ListenerStylesSnippet {

    // The full change: type, table, position, before/after images, changed columns
    @CanalListener(table = "shop.orders")
    void onChange(RowChange change) { }

    // The row mapped onto a record or POJO (column order_no fills orderNo; @CanalColumn names a column)
    record Order(long id, String customer, BigDecimal amount, String status, LocalDateTime createdAt) { }

    @CanalListener(table = "shop.orders", events = ChangeType.INSERT)
    void onNewOrder(Order order) { }

    // Both images of an update
    @CanalListener(table = "shop.orders", events = ChangeType.UPDATE)
    void onUpdate(@BeforeImage Order before, @AfterImage Order after) { }

    // The row as a map of column name to value (here: the before image of a delete)
    @CanalListener(table = "shop.orders", events = ChangeType.DELETE)
    void onDelete(Map<String, Object> row) { }

    // All matching rows of one batch in one call (List<RowChange>, List<Row>, List<Map<...>> or List<Pojo>)
    @CanalListener(table = "shop.*")
    void onBatch(List<Order> orders) { }

    // DDL of the matching tables
    @CanalListener(table = "shop.*")
    void onDdl(SchemaChange ddl) { }

    // Class level: one typed method per kind of change
    @Component
    @CanalListener(table = "shop.orders")
    class OrderHandler implements RowHandler<Order> {
        public void onInsert(Order order) { }
        public void onUpdate(Order before, Order after) { }
        public void onDelete(Order order) { }
    }
}
