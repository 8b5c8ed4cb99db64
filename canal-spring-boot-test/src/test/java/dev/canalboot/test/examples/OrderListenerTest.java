package dev.canalboot.test.examples;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ColumnType;
import dev.canalboot.test.CanalListenerTest;
import dev.canalboot.test.TestChangeSource;
import dev.canalboot.test.TestTable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@CanalListenerTest
@Import({OrderListener.class, ShopApplication.InvoiceBook.class})
class OrderListenerTest {

    static final TestTable ORDERS = TestTable.builder("shop", "orders")
            .primaryKey("id", ColumnType.BIGINT)
            .column("customer", ColumnType.VARCHAR)
            .column("amount", ColumnType.DECIMAL)
            .build();

    @Autowired
    TestChangeSource source;

    @Autowired
    ShopApplication.InvoiceBook invoices;

    @Test
    void newOrdersAreInvoicedAndChangedAmountsAmended() throws Exception {
        ChangeBatch batch = source.send(
                ORDERS.insert(1L, "ada", new BigDecimal("12.50")),
                ORDERS.update(ORDERS.row(1L, "ada", new BigDecimal("12.50")), ORDERS.row(1L, "ada", new BigDecimal("13.00"))));

        source.awaitAcknowledged(batch, Duration.ofSeconds(10));
        assertThat(invoices.invoiced()).containsExactly(new Order(1L, "ada", new BigDecimal("12.50")));
        assertThat(invoices.amended()).containsExactly(new Order(1L, "ada", new BigDecimal("13.00")));
    }
}
