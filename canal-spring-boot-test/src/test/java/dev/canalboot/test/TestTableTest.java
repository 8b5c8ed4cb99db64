package dev.canalboot.test;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SourcePosition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building row changes without a server: typed as the sources deliver them, with errors naming the mismatch. */
class TestTableTest {

    private static final TestTable ORDERS = TestTable.builder("shop", "orders")
            .primaryKey("id", ColumnType.BIGINT)
            .column("customer", ColumnType.VARCHAR)
            .column("amount", ColumnType.DECIMAL)
            .build();

    @Test
    void theBuilderDescribesColumnsInOrderWithKeyCharsetAndSign() {
        TestTable table = TestTable.builder("shop", "items")
                .primaryKey("id", ColumnType.INT)
                .unsignedColumn("stock", ColumnType.BIGINT)
                .column("size", ColumnType.ENUM, "S", "M")
                .column(new Column("photo", 99, ColumnType.BLOB, false, 65535, 0, null, false, List.of()))
                .build();

        List<Column> columns = table.schema().columns();
        assertThat(columns).extracting(Column::name).containsExactly("id", "stock", "size", "photo");
        assertThat(columns).extracting(Column::index).as("indexes set by position").containsExactly(0, 1, 2, 3);
        assertThat(table.schema().primaryKey()).containsExactly("id");
        assertThat(columns.get(1).unsigned()).isTrue();
        assertThat(columns.get(2).elements()).containsExactly("S", "M");
        assertThat(columns.get(2).charset()).as("text columns are UTF-8").isEqualTo("UTF-8");
        assertThat(columns.get(0).charset()).isNull();
        assertThat(columns.get(3).length()).isEqualTo(65535);
        assertThat(table.schema().qualifiedName()).isEqualTo("shop.items");
        assertThat(table).hasToString(table.schema().toString());
    }

    @Test
    void changesCarryTheirImagesAndTheDefaultSourceWithoutPosition() {
        RowChange insert = ORDERS.insert(1L, "ada", new BigDecimal("12.50"));
        RowChange update = ORDERS.update(ORDERS.row(1L, "ada", new BigDecimal("12.50")),
                ORDERS.row(1L, "ada", new BigDecimal("13.00")));
        RowChange delete = ORDERS.delete(1L, "ada", null);

        assertThat(insert.type()).isEqualTo(ChangeType.INSERT);
        assertThat(insert.before()).isNull();
        assertThat(insert.after().get("customer")).isEqualTo("ada");
        assertThat(insert.source()).isEqualTo("default");
        assertThat(insert.position()).isEqualTo(SourcePosition.UNKNOWN);
        assertThat(insert.tableSchema()).isSameAs(ORDERS.schema());
        assertThat(update.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(update.changedColumns()).containsExactly("amount");
        assertThat(delete.type()).isEqualTo(ChangeType.DELETE);
        assertThat(delete.after()).isNull();
        assertThat(delete.before().get("amount")).isNull();
    }

    @Test
    void aRowByColumnNameHasNullForTheColumnsNotNamed() {
        Map<String, Object> values = new HashMap<>();
        values.put("ID", 2L);
        values.put("amount", null);

        Row row = ORDERS.row(values);

        assertThat(row.get("id")).as("names are case-insensitive").isEqualTo(2L);
        assertThat(row.get("customer")).isNull();
        assertThat(row.get("amount")).isNull();
    }

    @Test
    void theValuesOfARowAreCopied() {
        Object[] values = {1L, "ada", BigDecimal.ONE};
        Row row = ORDERS.row(values);
        values[1] = "bob";

        assertThat(row.get("customer")).isEqualTo("ada");
    }

    @Test
    void aWrongNumberOfValuesIsRefusedListingTheColumns() {
        assertThatThrownBy(() -> ORDERS.insert(1L, "ada"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shop.orders has 3 columns [id, customer, amount] but 2 values were given");
    }

    @Test
    void aValueOfAnotherTypeThanTheSourcesDeliverIsRefused() {
        assertThatThrownBy(() -> ORDERS.insert(1, "ada", new BigDecimal("1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Column id is BIGINT: the sources deliver java.lang.Long, not java.lang.Integer (1)");
        TestTable items = TestTable.builder("shop", "items").unsignedColumn("n", ColumnType.BIGINT)
                .column("tags", ColumnType.SET, "a", "b").build();
        assertThatThrownBy(() -> items.insert(5L, Set.of("a")))
                .hasMessage("Column n is UNSIGNED BIGINT: the sources deliver java.math.BigInteger, not java.lang.Long (5)");
        assertThat(items.insert(BigInteger.TEN, Set.of("a")).after().get("n")).isEqualTo(BigInteger.TEN);
    }

    @Test
    void anUnknownColumnNameIsRefusedListingTheColumns() {
        assertThatThrownBy(() -> ORDERS.row(Map.of("customer_name", "ada")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shop.orders has no column 'customer_name'; columns are [id, customer, amount]");
    }

    @Test
    void aRowOfAnotherTableIsRefused() {
        TestTable other = TestTable.builder("shop", "orders").primaryKey("id", ColumnType.BIGINT)
                .column("customer", ColumnType.VARCHAR).column("amount", ColumnType.DECIMAL).build();
        Row foreign = other.row(1L, "ada", BigDecimal.ONE);

        assertThatThrownBy(() -> ORDERS.insert(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Row ").hasMessageEndingWith("was built for shop.orders, not for this shop.orders");
        assertThatThrownBy(() -> ORDERS.update(ORDERS.row(1L, "ada", BigDecimal.ONE), foreign))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ORDERS.delete(foreign)).isInstanceOf(IllegalArgumentException.class);
    }
}
