package dev.canalboot.actuate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BoundedTableCacheTest {

    private final List<String> made = new ArrayList<>();

    private BoundedTableCache<String> cache(int limit) {
        return new BoundedTableCache<>(limit, tag -> {
            made.add(tag);
            return "meters:" + tag;
        });
    }

    @Test
    void tablesWithinTheLimitGetTheirOwnValueOnce() {
        BoundedTableCache<String> cache = cache(2);
        assertThat(cache.get("shop", "orders")).isEqualTo("meters:shop.orders");
        assertThat(cache.get("shop", "customers")).isEqualTo("meters:shop.customers");
        assertThat(cache.get("shop", "orders")).isSameAs(cache.get("shop", "orders"));
        assertThat(made).containsExactly("shop.orders", "shop.customers");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void tablesBeyondTheLimitShareOther() {
        BoundedTableCache<String> cache = cache(2);
        cache.get("shop", "orders");
        cache.get("shop", "customers");
        String third = cache.get("crm", "contacts");
        String fourth = cache.get("shop", "invoices");
        assertThat(third).isEqualTo("meters:other").isSameAs(fourth).isSameAs(cache.other());
        assertThat(made).containsExactly("shop.orders", "shop.customers", "other");
        // Admitted tables keep their own value, and a table once "other" stays "other".
        assertThat(cache.get("shop", "orders")).isEqualTo("meters:shop.orders");
        assertThat(cache.get("crm", "contacts")).isEqualTo("meters:other");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void sameTableNameInTwoSchemasIsTwoTables() {
        BoundedTableCache<String> cache = cache(5);
        assertThat(cache.get("a", "t")).isEqualTo("meters:a.t");
        assertThat(cache.get("b", "t")).isEqualTo("meters:b.t");
    }

    @Test
    void limitZeroTagsEverythingOther() {
        BoundedTableCache<String> cache = cache(0);
        assertThat(cache.get("shop", "orders")).isEqualTo("meters:other");
        assertThat(made).containsExactly("other");
    }

    @Test
    void negativeLimitIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> cache(-1)).withMessageContaining("-1");
    }
}
