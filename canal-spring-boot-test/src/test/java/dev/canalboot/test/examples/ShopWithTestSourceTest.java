package dev.canalboot.test.examples;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ColumnType;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.TestChangeSource;
import dev.canalboot.test.TestTable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole application, its configured sources replaced by a test source (no database at all). */
@SpringBootTest(properties = "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@Import({ChangeRecorder.class, ShopWithTestSourceTest.TestSource.class})
class ShopWithTestSourceTest {

    static final TestTable ORDERS = TestTable.builder("shop", "orders")
            .primaryKey("id", ColumnType.BIGINT)
            .column("customer", ColumnType.VARCHAR)
            .column("amount", ColumnType.DECIMAL)
            .build();

    @Autowired
    TestChangeSource source;

    @Autowired
    ChangeRecorder recorder;

    @Autowired
    ShopApplication.InvoiceBook invoices;

    @Test
    void theApplicationsListenersReceiveTheTestSourcesChanges() throws Exception {
        ChangeBatch batch = source.send(ORDERS.insert(1L, "ada", new BigDecimal("12.50")));

        source.awaitAcknowledged(batch, Duration.ofSeconds(10));
        assertThat(invoices.invoiced()).containsExactly(new Order(1L, "ada", new BigDecimal("12.50")));
        assertThat(recorder.deliveredTo("invoice-new-orders")).hasSize(1);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestSource {

        @Bean
        TestChangeSource testChangeSource() {
            return new TestChangeSource();
        }
    }
}
