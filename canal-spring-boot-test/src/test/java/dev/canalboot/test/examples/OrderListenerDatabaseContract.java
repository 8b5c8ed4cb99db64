package dev.canalboot.test.examples;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.RowChangeCondition;
import dev.canalboot.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole application against a real server: what the tests of each database run. */
abstract class OrderListenerDatabaseContract {

    static final String SHOP_ORDERS = "CREATE TABLE IF NOT EXISTS shop.orders "
            + "(id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(10,2) NOT NULL)";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TestDatabase database;

    @Autowired
    ChangeRecorder recorder;

    @Autowired
    ShopApplication.InvoiceBook invoices;

    /** Ids of this run: the server is shared and outlives the context. */
    abstract long firstId();

    @Test
    void anOrderInsertedThroughTheDataSourceIsInvoiced() {
        long id = firstId();
        jdbc.update("INSERT INTO orders (id, customer, amount) VALUES (?, 'ada', 12.50)", id);

        RowChange insert = recorder.awaitRowChange(
                RowChangeCondition.on("shop.orders").ofType(ChangeType.INSERT).with("id", id));
        assertThat(insert.row().getBigDecimal("amount")).isEqualByComparingTo("12.50");
        assertThat(invoices.invoiced()).contains(new Order(id, "ada", new BigDecimal("12.50")));
    }

    @Test
    void updatesWrittenAsTheTestUserArriveWithBothImages() {
        long id = firstId() + 1;
        database.execute("INSERT INTO shop.orders VALUES (" + id + ", 'grace', 1.00)",
                "UPDATE shop.orders SET amount = 2.00 WHERE id = " + id);

        RowChange update = recorder.awaitRowChange(
                RowChangeCondition.on("shop.orders").ofType(ChangeType.UPDATE).with("id", id));
        assertThat(update.changedColumns()).containsExactly("amount");
        assertThat(update.before().toMap()).containsEntry("amount", new BigDecimal("1.00"));
        assertThat(invoices.amended()).contains(new Order(id, "grace", new BigDecimal("2.00")));
        assertThat(database.query("SELECT amount FROM shop.orders WHERE id = " + id))
                .containsExactly(Map.of("amount", new BigDecimal("2.00")));
    }
}
