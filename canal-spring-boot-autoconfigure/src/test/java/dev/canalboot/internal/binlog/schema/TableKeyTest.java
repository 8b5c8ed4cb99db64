package dev.canalboot.internal.binlog.schema;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** TableKey's written-out equals and hashCode keep a record's contract, nulls included. */
class TableKeyTest {

    @Test
    void equalKeysAreEqualAndHashAlike() {
        assertThat(new TableKey("db", "t")).isEqualTo(new TableKey("db", "t"))
                .hasSameHashCodeAs(new TableKey("db", "t"))
                .isNotEqualTo(new TableKey("db", "u")).isNotEqualTo(new TableKey("DB", "t"))
                .isNotEqualTo(new TableKey("t", "db")).isNotEqualTo("db.t");
        assertThat(new TableKey(null, "t")).isEqualTo(new TableKey(null, "t")).isNotEqualTo(new TableKey("db", "t"))
                .hasSameHashCodeAs(new TableKey(null, "t"));
        Map<TableKey, Integer> map = new HashMap<>();
        map.put(new TableKey("db", "t"), 1);
        assertThat(map).containsEntry(new TableKey("db", "t"), 1).doesNotContainKey(new TableKey("db", "T"));
        assertThat(new TableKey("db", "t")).hasToString("db.t");
    }
}
