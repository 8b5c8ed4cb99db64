package dev.canalboot.test;

import dev.canalboot.model.ChangeType;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.RowChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which row changes a {@link RowChangeCondition} accepts, and how it describes itself in failure messages. */
class RowChangeConditionTest {

    private static final TestTable ITEMS = TestTable.builder("shop", "items").primaryKey("id", ColumnType.BIGINT)
            .column("name", ColumnType.VARCHAR).column("photo", ColumnType.BLOB).build();
    private static final TestTable USERS = TestTable.builder("crm", "users").primaryKey("id", ColumnType.BIGINT)
            .build();

    private final RowChange insert = ITEMS.insert(1L, "ada", new byte[]{1, 2});
    private final RowChange update = ITEMS.update(ITEMS.row(1L, "ada", null), ITEMS.row(1L, "bob", null));
    private final RowChange delete = ITEMS.delete(2L, "eve", null);

    @Test
    void anyAcceptsEveryRowChange() {
        assertThat(RowChangeCondition.any()).accepts(insert, update, delete, USERS.insert(9L));
    }

    @Test
    void tableIsMatchedIgnoringCase() {
        assertThat(RowChangeCondition.on("SHOP.Items")).accepts(insert, delete).rejects(USERS.insert(9L));
        assertThat(RowChangeCondition.on("shop.item")).as("no prefix match").rejects(insert);
        assertThat(RowChangeCondition.on("items")).as("the schema is part of the name").rejects(insert);
    }

    @Test
    void typeNarrowsTheChanges() {
        RowChangeCondition updates = RowChangeCondition.on("shop.items").ofType(ChangeType.UPDATE);
        assertThat(updates).accepts(update).rejects(insert, delete);
        assertThat(RowChangeCondition.any().ofType(ChangeType.INSERT)).accepts(USERS.insert(9L)).rejects(update);
    }

    @Test
    void valuesAreMatchedOnTheRowAsItIsNow() {
        assertThat(RowChangeCondition.any().with("name", "bob")).as("the after image of an update")
                .accepts(update);
        assertThat(RowChangeCondition.any().with("name", "ada")).as("not the before image").accepts(insert)
                .rejects(update);
        assertThat(RowChangeCondition.any().with("name", "eve")).as("the before image of a delete").accepts(delete);
    }

    @Test
    void everyValueMustMatch() {
        RowChangeCondition both = RowChangeCondition.any().with("id", 1L).with("name", "ada");
        assertThat(both).accepts(insert).rejects(ITEMS.insert(1L, "bob", null), ITEMS.insert(3L, "ada", null));
    }

    @Test
    void valuesCompareByEqualsSoTheJavaTypeCounts() {
        assertThat(RowChangeCondition.any().with("id", 1L)).accepts(insert);
        assertThat(RowChangeCondition.any().with("id", 1)).as("an Integer is not the BIGINT's Long").rejects(insert);
    }

    @Test
    void arraysCompareByContentAndNullMatchesNull() {
        assertThat(RowChangeCondition.any().with("photo", new byte[]{1, 2})).accepts(insert);
        assertThat(RowChangeCondition.any().with("photo", new byte[]{1, 3})).rejects(insert);
        assertThat(RowChangeCondition.any().with("photo", null)).accepts(update).rejects(insert);
    }

    @Test
    void aColumnTheTableLacksMatchesNothingEvenWhenNullIsExpected() {
        assertThat(RowChangeCondition.any().with("missing", null)).rejects(insert, USERS.insert(9L));
    }

    @Test
    void conditionsAreImmutable() {
        RowChangeCondition items = RowChangeCondition.on("shop.items");
        RowChangeCondition ada = items.with("name", "ada");
        items.ofType(ChangeType.DELETE);
        ada.with("id", 2L);
        assertThat(items).accepts(insert, update, delete);
        assertThat(ada).accepts(insert);
    }

    @Test
    void describesItself() {
        assertThat(RowChangeCondition.any()).hasToString("row change of any table");
        assertThat(RowChangeCondition.on("shop.items").ofType(ChangeType.INSERT)).hasToString("INSERT of shop.items");
        assertThat(RowChangeCondition.on("shop.items").with("id", 1L).with("name", "ada"))
                .hasToString("row change of shop.items where id=1 and name=ada");
    }
}
