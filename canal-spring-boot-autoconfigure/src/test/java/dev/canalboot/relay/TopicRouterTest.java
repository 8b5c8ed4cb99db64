package dev.canalboot.relay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Canal's dynamic-topic rules as its documentation states them. */
class TopicRouterTest {

    @Test
    void rulesNameTopicsAsCanalDoes() {
        TopicRouter router = new TopicRouter("fallback", List.of("test", "test1\\.test1", "named:shop\\.orders.*",
                "all:.*\\.audit"));
        assertThat(router.topics("test", "any")).containsExactly("test");
        assertThat(router.topics("test1", "test1")).containsExactly("test1_test1");
        assertThat(router.topics("Test1", "TEST1")).containsExactly("test1_test1");
        assertThat(router.topics("shop", "orders_2024")).containsExactly("named");
        assertThat(router.topics("shop", "audit")).containsExactly("all");
        assertThat(router.topics("test", "audit")).containsExactly("test", "all");
        assertThat(router.topics("other", "t")).containsExactly("fallback");
    }

    @Test
    void aBadRegexIsNamed() {
        assertThatThrownBy(() -> new TopicRouter("t", List.of("x:shop\\.(")))
                .hasMessageContaining("x:shop\\.(");
    }
}
