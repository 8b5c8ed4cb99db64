package dev.canalboot.test.examples;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;
import dev.canalboot.test.CdcDatabase;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.EmbeddedCdcDatabase;
import dev.canalboot.test.RowChangeCondition;
import dev.canalboot.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@EmbeddedCdcDatabase(value = CdcDatabase.MYSQL_8_0, database = "shop", initSql = {
        "CREATE DATABASE IF NOT EXISTS shop",
        "CREATE TABLE IF NOT EXISTS shop.orders (id BIGINT PRIMARY KEY, customer VARCHAR(64), amount DECIMAL(10,2))"})
class ShopOnMySqlIT {

    @Autowired
    TestDatabase database;

    @Autowired
    ChangeRecorder recorder;

    @Autowired
    ShopApplication.InvoiceBook invoices;

    @Test
    void insertedOrdersAreInvoiced() {
        database.execute("INSERT INTO shop.orders VALUES (100, 'ada', 12.50)");

        RowChange insert = recorder.awaitRowChange(
                RowChangeCondition.on("shop.orders").ofType(ChangeType.INSERT).with("id", 100L));
        assertThat(insert.row().getBigDecimal("amount")).isEqualByComparingTo("12.50");
        assertThat(invoices.invoiced()).contains(new Order(100L, "ada", new BigDecimal("12.50")));
    }
}
