package dev.canalboot.internal.binlog.event;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Event type codes as the replication protocol documentation numbers them, and their names in messages. */
class EventTypeTest {

    @Test
    void codesFollowTheProtocolDocumentation() {
        assertThat(EventType.QUERY).isEqualTo(0x02);
        assertThat(EventType.ROTATE).isEqualTo(0x04);
        assertThat(EventType.FORMAT_DESCRIPTION).isEqualTo(0x0f);
        assertThat(EventType.XID).isEqualTo(0x10);
        assertThat(EventType.TABLE_MAP).isEqualTo(0x13);
        assertThat(EventType.WRITE_ROWS_V2).isEqualTo(0x1e);
        assertThat(EventType.DELETE_ROWS_V2).isEqualTo(0x20);
        assertThat(EventType.GTID).isEqualTo(0x21);
        assertThat(EventType.PARTIAL_UPDATE_ROWS).isEqualTo(39);
        assertThat(EventType.TRANSACTION_PAYLOAD).isEqualTo(40);
        assertThat(EventType.MARIADB_ANNOTATE_ROWS).isEqualTo(160);
        assertThat(EventType.MARIADB_GTID).isEqualTo(162);
        assertThat(EventType.MARIADB_DELETE_ROWS_COMPRESSED).isEqualTo(171);
    }

    @Test
    void everyDecodedTypeHasItsOwnName() throws IllegalAccessException {
        Map<String, Integer> byName = new HashMap<>();
        for (Field f : EventType.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                continue;
            }
            int code = f.getInt(null);
            if (code == EventType.UNKNOWN || code == EventType.START_V3) {
                continue;
            }
            String name = EventType.name(code);
            assertThat(name).as(f.getName()).doesNotStartWith("EVENT_");
            assertThat(f.getName()).as("the name is the constant's, MariaDB's without its prefix").endsWith(name);
            assertThat(byName.put(name, code)).as("name %s used twice", name).isNull();
        }
        assertThat(byName).hasSizeGreaterThan(40);
    }

    @Test
    void anUnknownCodeIsNamedByItsNumber() {
        assertThat(EventType.name(99)).isEqualTo("EVENT_99");
        assertThat(EventType.name(EventType.START_V3)).isEqualTo("EVENT_1");
        assertThat(EventType.name(EventType.MARIADB_GTID)).isEqualTo("MARIADB_GTID");
        assertThat(EventType.name(EventType.MARIADB_GTID_LIST)).isEqualTo("GTID_LIST");
    }
}
