package dev.canalboot.listener;

import dev.canalboot.testsupport.Events;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.TableSchema;
import org.junit.jupiter.api.Test;
import org.springframework.core.convert.support.DefaultConversionService;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

import static dev.canalboot.testsupport.Events.ORDERS;
import static dev.canalboot.testsupport.Events.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PojoRowMapperTest {

    public record OrderRecord(long id, String orderNo, BigDecimal amount, LocalDateTime createdAt, int quantity) {
    }

    public record RenamedOrder(@CanalColumn("order_no") String number, String amount, Long quantity) {
    }

    public static class OrderBean {
        private Long id;
        @CanalColumn("order_no")
        private String reference;
        private double amount;
        private String notInTable;
        private static String ignoredStatic;
    }

    public record MissingColumn(@CanalColumn("nope") String value) {
    }

    public static class FinalField {
        private final String orderNo = "x";
    }

    public record PrimitiveQuantity(int quantity) {
    }

    private static <T> PojoRowMapper<T> mapper(Class<T> type) {
        return PojoRowMapper.forType(type, DefaultConversionService::getSharedInstance);
    }

    private static Row orderRow(long id, String orderNo, String amount, int quantity) {
        return new Row(ORDERS, Events.order(id, orderNo, amount, quantity));
    }

    @Test
    void recordMapsSnakeCaseColumnsToComponents() {
        OrderRecord order = mapper(OrderRecord.class).map(orderRow(7, "A-7", "12.50", 3));
        assertThat(order).isEqualTo(new OrderRecord(7, "A-7", new BigDecimal("12.50"),
                LocalDateTime.of(2026, 1, 2, 3, 4, 5), 3));
    }

    @Test
    void canalColumnRenamesAndConversionServiceConverts() {
        RenamedOrder order = mapper(RenamedOrder.class).map(orderRow(8, "B-8", "9.99", 4));
        assertThat(order.number()).isEqualTo("B-8");
        assertThat(order.amount()).isEqualTo("9.99");
        assertThat(order.quantity()).isEqualTo(4L);
    }

    @Test
    void classIsFilledThroughFieldsAndUnknownPropertiesKeepTheirDefault() {
        OrderBean bean = mapper(OrderBean.class).map(orderRow(9, "C-9", "1.25", 1));
        assertThat(bean.id).isEqualTo(9L);
        assertThat(bean.reference).isEqualTo("C-9");
        assertThat(bean.amount).isEqualTo(1.25);
        assertThat(bean.notInTable).isNull();
    }

    @Test
    void eachSchemaVersionGetsItsOwnColumnPlan() {
        PojoRowMapper<OrderRecord> mapper = mapper(OrderRecord.class);
        // After DDL the columns come in another order: the new schema must be mapped by name again.
        TableSchema reordered = new TableSchema("shop", "orders", List.of(
                column("quantity", 0, ColumnType.INT, false),
                column("id", 1, ColumnType.BIGINT, true),
                column("order_no", 2, ColumnType.VARCHAR, false)));
        OrderRecord first = mapper.map(orderRow(1, "X", "2.00", 5));
        OrderRecord second = mapper.map(new Row(reordered, new Object[]{6, 2L, "Y"}));
        OrderRecord third = mapper.map(orderRow(3, "Z", "3.00", 7));
        assertThat(first.orderNo()).isEqualTo("X");
        assertThat(second).isEqualTo(new OrderRecord(2, "Y", null, null, 6));
        assertThat(third.quantity()).isEqualTo(7);
    }

    @Test
    void nullRowMapsToNull() {
        assertThat(mapper(OrderRecord.class).map(null)).isNull();
    }

    @Test
    void sqlNullIntoPrimitiveIsAnErrorNamingTheColumn() {
        Row row = new Row(ORDERS, new Object[]{1L, "A", null, null, null});
        assertThatIllegalArgumentException().isThrownBy(() -> mapper(PrimitiveQuantity.class).map(row))
                .withMessageContaining("shop.orders.quantity is NULL")
                .withMessageContaining("PrimitiveQuantity.quantity");
    }

    @Test
    void explicitColumnMissingFromTableIsAnErrorNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> mapper(MissingColumn.class).map(orderRow(1, "A", "1", 1)))
                .withMessageContaining("@CanalColumn(\"nope\")")
                .withMessageContaining("shop.orders");
    }

    @Test
    void unconvertibleValueIsAnErrorNamingColumnAndProperty() {
        record WrongType(LocalDateTime orderNo) {
        }
        assertThatIllegalArgumentException().isThrownBy(() -> mapper(WrongType.class).map(orderRow(1, "A", "1", 1)))
                .withMessageContaining("shop.orders.order_no")
                .withMessageContaining("WrongType.orderNo");
    }

    @Test
    void unmappableTypesAreRefused() {
        assertThat(PojoRowMapper.isMappable(String.class)).isFalse();
        assertThat(PojoRowMapper.isMappable(Row.class)).isFalse();
        assertThat(PojoRowMapper.isMappable(Runnable.class)).isFalse();
        assertThat(PojoRowMapper.isMappable(OrderRecord.class)).isTrue();
        assertThatIllegalArgumentException().isThrownBy(() -> mapper(FinalField.class))
                .withMessageContaining("FinalField.orderNo is final");
    }

    @Test
    void snakeCaseOfPropertyNames() {
        assertThat(PojoRowMapper.snakeCase("orderNo")).isEqualTo("order_no");
        assertThat(PojoRowMapper.snakeCase("id")).isEqualTo("id");
        assertThat(PojoRowMapper.snakeCase("userID")).isEqualTo("user_id");
        assertThat(PojoRowMapper.snakeCase("htmlURLValue")).isEqualTo("html_url_value");
        assertThat(PojoRowMapper.snakeCase("line2Total")).isEqualTo("line2_total");
    }
}
