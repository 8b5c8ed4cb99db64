package dev.canalboot.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shape of a table version: column lookup by name, primary key, and the index check of its columns. */
class TableSchemaTest {

    private static Column column(String name, int index, boolean primaryKey) {
        return new Column(name, index, ColumnType.BIGINT, false, 0, 0, null, primaryKey, List.of());
    }

    @Test
    void columnsAreFoundByTheirNameInAnyCaseAndUnknownOnesAreMinusOne() {
        TableSchema table = new TableSchema("shop", "orders",
                List.of(column("id", 0, true), column("OrderNo", 1, false), column("amount", 2, false)));

        assertThat(table.indexOf("OrderNo")).isEqualTo(1);
        assertThat(table.indexOf("orderno")).isEqualTo(1);
        assertThat(table.indexOf("ORDERNO")).isEqualTo(1);
        assertThat(table.indexOf("AMOUNT")).isEqualTo(2);
        assertThat(table.indexOf("customer")).isEqualTo(-1);
        assertThat(table.column(2).name()).isEqualTo("amount");
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void anExactNameWinsOverAnotherColumnThatDiffersOnlyInCase() {
        // MySQL forbids such twins, but a decoded schema may still carry them; the exact spelling must win.
        TableSchema table = new TableSchema("s", "t", List.of(column("id", 0, false), column("ID", 1, false)));

        assertThat(table.indexOf("id")).isEqualTo(0);
        assertThat(table.indexOf("ID")).isEqualTo(1);
        assertThat(table.indexOf("Id")).isEqualTo(0);
    }

    @Test
    void thePrimaryKeyListsItsColumnsInTableOrder() {
        TableSchema table = new TableSchema("shop", "lines",
                List.of(column("order_id", 0, true), column("note", 1, false), column("line_no", 2, true)));

        assertThat(table.primaryKey()).containsExactly("order_id", "line_no");
        assertThat(new TableSchema("s", "log", List.of(column("msg", 0, false))).primaryKey()).isEmpty();
    }

    @Test
    void aColumnStandingAtAnotherPositionThanItsIndexIsRefusedNamingBoth() {
        assertThatThrownBy(() -> new TableSchema("shop", "orders", List.of(column("id", 0, true), column("amount", 2, false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Column amount of shop.orders has index 2 but stands at position 1");
    }

    @Test
    void theColumnsAreACopyThatCannotBeChanged() {
        List<Column> columns = new ArrayList<>(List.of(column("id", 0, true)));
        TableSchema table = new TableSchema("shop", "orders", columns);
        columns.add(column("amount", 1, false));

        assertThat(table.size()).isEqualTo(1);
        assertThatThrownBy(() -> table.columns().add(column("x", 1, false)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> table.primaryKey().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void itNamesItselfQualifiedWithItsColumns() {
        TableSchema table = new TableSchema("shop", "orders", List.of(column("id", 0, true), column("amount", 1, false)));

        assertThat(table.qualifiedName()).isEqualTo("shop.orders");
        assertThat(table.schema()).isEqualTo("shop");
        assertThat(table.table()).isEqualTo("orders");
        assertThat(table).hasToString("shop.orders[id, amount]");
    }
}
