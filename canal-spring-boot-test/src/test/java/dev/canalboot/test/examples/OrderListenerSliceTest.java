package dev.canalboot.test.examples;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import dev.canalboot.test.CanalListenerTest;
import dev.canalboot.test.ChangeRecorder;
import dev.canalboot.test.RowChangeCondition;
import dev.canalboot.test.TestChangeSource;
import dev.canalboot.test.TestTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener with the real listener container, fed by a test source: no database. */
@CanalListenerTest(properties = {"canal.listener.retry.max-attempts=3", "canal.listener.retry.initial-interval=10ms",
        "canal.listener.error-handler=dead-letter"})
@Import({OrderListener.class, ParkedOrders.class, OrderListenerSliceTest.FlakyInvoicingConfig.class})
class OrderListenerSliceTest {

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
    FlakyInvoicing invoicing;

    @Autowired
    ParkedOrders parked;

    @BeforeEach
    void forgetEarlierTests() {
        recorder.clear();
    }

    @Test
    void aFailingCallIsRetriedAndTheOrderInvoiced() throws Exception {
        invoicing.failTimes(2); // the first two attempts fail, the third succeeds
        ChangeBatch batch = source.send(ORDERS.insert(1L, "ada", new BigDecimal("12.50")));

        source.awaitAcknowledged(batch, Duration.ofSeconds(10));
        assertThat(invoicing.invoiced()).contains(new Order(1L, "ada", new BigDecimal("12.50")));
        assertThat(recorder.failures()).hasSize(2);
        assertThat(recorder.deliveredTo("invoice-new-orders")).hasSize(1);
    }

    @Test
    void anOrderFailingEveryAttemptIsDeadLetteredAndTheNextOneInvoiced() throws Exception {
        invoicing.failTimes(3); // every attempt of order 2 fails
        source.send(ORDERS.insert(2L, "mallory", new BigDecimal("1.00")));
        ChangeBatch next = source.send(ORDERS.insert(3L, "grace", new BigDecimal("7.00")));

        source.awaitAcknowledged(next, Duration.ofSeconds(10));
        assertThat(parked.parked()).singleElement().satisfies(failure -> {
            assertThat(failure.attempts()).isEqualTo(3);
            assertThat(((RowChange) failure.events().get(0)).row().getLong("id")).isEqualTo(2L);
        });
        assertThat(invoicing.invoiced()).extracting(Order::id).contains(3L).doesNotContain(2L);
    }

    @Test
    void theRecorderSaysWhatArrivedWhenAnAwaitTimesOut() {
        source.send(ORDERS.insert(4L, "linus", new BigDecimal("3.00")));
        recorder.awaitRowChange(RowChangeCondition.on("shop.orders").with("id", 4L));

        assertThatThrownBy(() -> recorder.awaitRowChange(
                RowChangeCondition.on("shop.orders").ofType(ChangeType.DELETE).with("id", 4L), Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected 1 x DELETE of shop.orders where id=4 delivered to listeners within 200 ms, but 0 matched.")
                .hasMessageContaining("Row changes delivered (1):\n  INSERT shop.orders @test-binlog.000001:")
                .hasMessageContaining("after={id=4, customer=linus, amount=3.00}")
                .hasMessageContaining("Failed listener calls (0): none");
    }

    @Test
    void testTablesRefuseValuesNoSourceWouldDeliver() {
        assertThatThrownBy(() -> ORDERS.insert(5L, "ken", 3.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Column amount is DECIMAL: the sources deliver java.math.BigDecimal, not java.lang.Double (3.0)");
        assertThatThrownBy(() -> ORDERS.insert(5L, "ken"))
                .hasMessageContaining("shop.orders has 3 columns [id, customer, amount] but 2 values were given");
    }

    /** Fails the next {@link #failTimes} calls, then invoices. */
    static class FlakyInvoicing implements Invoicing {

        private final AtomicInteger failuresLeft = new AtomicInteger();
        private final List<Order> invoiced = new CopyOnWriteArrayList<>();

        void failTimes(int times) {
            failuresLeft.set(times);
        }

        @Override
        public void invoice(Order order) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("invoicing service unavailable");
            }
            invoiced.add(order);
        }

        @Override
        public void amend(Order before, Order after) {
        }

        List<Order> invoiced() {
            return List.copyOf(invoiced);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class FlakyInvoicingConfig {

        @Bean
        FlakyInvoicing flakyInvoicing() {
            return new FlakyInvoicing();
        }
    }
}
