package dev.canalboot.listener.container;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TablePatternTest {

    @Test
    void exactNameMatchesOnlyThatTableIgnoringCase() {
        TablePattern pattern = TablePattern.parse("shop.orders");
        assertThat(pattern.matches("shop", "orders")).isTrue();
        assertThat(pattern.matches("SHOP", "Orders")).isTrue();
        assertThat(pattern.matches("shop", "orders2")).isFalse();
        assertThat(pattern.matches("shop2", "orders")).isFalse();
        assertThat(pattern.isExact()).isTrue();
    }

    @Test
    void wildcardStaysWithinItsPart() {
        TablePattern all = TablePattern.parse("shop.*");
        assertThat(all.matches("shop", "orders")).isTrue();
        assertThat(all.matches("shop", "customers")).isTrue();
        assertThat(all.matches("crm", "orders")).isFalse();
        assertThat(all.isExact()).isFalse();

        TablePattern prefix = TablePattern.parse("shop.order_*");
        assertThat(prefix.matches("shop", "order_2024")).isTrue();
        assertThat(prefix.matches("shop", "orders")).isFalse();

        TablePattern anySchema = TablePattern.parse("*.audit");
        assertThat(anySchema.matches("shop", "audit")).isTrue();
        assertThat(anySchema.matches("shop", "audit_log")).isFalse();
    }

    @Test
    void wildcardPatternQuotesOtherRegexCharacters() {
        TablePattern pattern = TablePattern.parse("shop.a+b*");
        assertThat(pattern.matches("shop", "a+bc")).isTrue();
        assertThat(pattern.matches("shop", "aabc")).isFalse();
    }

    @Test
    void regexMatchesWholeQualifiedName() {
        TablePattern pattern = TablePattern.parse("regex:shop\\.order_\\d+");
        assertThat(pattern.matches("shop", "order_12")).isTrue();
        assertThat(pattern.matches("shop", "order_x")).isFalse();
        assertThat(pattern.matches("myshop", "order_12")).isFalse();
        assertThat(pattern.toString()).isEqualTo("regex:shop\\.order_\\d+");
    }

    @Test
    void schemaMatchForDdlWithoutTable() {
        assertThat(TablePattern.parse("shop.orders").matchesSchema("shop")).isTrue();
        assertThat(TablePattern.parse("shop.orders").matchesSchema("crm")).isFalse();
        assertThat(TablePattern.parse("regex:shop\\.order_\\d+").matchesSchema("shop")).isTrue();
        assertThat(TablePattern.parse("regex:shop\\.order_\\d+").matchesSchema("crm")).isFalse();
        assertThat(TablePattern.parse("regex:(shop|crm)\\..*").matchesSchema("crm")).isTrue();
    }

    @Test
    void badPatternsAreRejectedWithTheReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse("orders"))
                .withMessageContaining("'orders' must be schema.table");
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse("shop.orders.x"))
                .withMessageContaining("must be schema.table");
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse("shop."))
                .withMessageContaining("must be schema.table");
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse(" "))
                .withMessageContaining("empty");
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse("shop.my orders"))
                .withMessageContaining("whitespace");
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse("regex:shop\\.(orders"))
                .withMessageContaining("not a valid regex");
        assertThatIllegalArgumentException().isThrownBy(() -> TablePattern.parse("regex:"))
                .withMessageContaining("no regex");
    }
}
