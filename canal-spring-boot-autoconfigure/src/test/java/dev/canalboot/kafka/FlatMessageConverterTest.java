package dev.canalboot.kafka;

import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.ZeroDatePolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlatMessageConverterTest {

    private static final String TYPES = "{\"id\":\"bigint\",\"amount\":\"decimal(12,2)\",\"created\":\"datetime(3)\","
            + "\"paid\":\"timestamp\",\"flag\":\"bit(1)\",\"price\":\"double\",\"state\":\"enum('new','paid')\","
            + "\"note\":\"varchar(20)\"}";

    private final FlatMessageReader reader = new FlatMessageReader("test");
    private final FlatMessageConverter converter = new FlatMessageConverter("src",
            new CanalValueConverter(ZoneId.of("Asia/Shanghai"), ZeroDatePolicy.NULL));

    private static String message(String type, String rows, String old) {
        return "{\"data\":" + rows + ",\"database\":\"shop\",\"es\":1714567890000,\"gtid\":\"uuid:7\",\"id\":3,"
                + "\"isDdl\":false,\"mysqlType\":" + TYPES + ",\"old\":" + old + ",\"pkNames\":[\"id\"],\"sql\":\"\","
                + "\"sqlType\":{},\"table\":\"orders\",\"ts\":1714567890001,\"type\":\"" + type + "\"}";
    }

    private static String row(long id, String amount, String note) {
        return "{\"id\":\"" + id + "\",\"amount\":\"" + amount + "\",\"created\":\"2024-05-01 12:34:56.789\","
                + "\"paid\":\"2024-05-02 08:00:00\",\"flag\":\"1\",\"price\":\"9.5\",\"state\":\"paid\",\"note\":"
                + (note == null ? "null" : "\"" + note + "\"") + "}";
    }

    private List<ChangeEvent> convert(String json) {
        List<ChangeEvent> events = new ArrayList<>();
        converter.convert(reader.read(json.getBytes(StandardCharsets.UTF_8)), events);
        return events;
    }

    @Test
    void insertRowsGetTheModelsJavaValues() {
        List<ChangeEvent> events = convert(message("INSERT", "[" + row(1, "2.5", "a") + "," + row(2, "3.25", null)
                + "]", "null"));

        assertThat(events).hasSize(2);
        RowChange change = (RowChange) events.get(0);
        assertThat(change.type()).isEqualTo(ChangeType.INSERT);
        assertThat(change.source()).isEqualTo("src");
        assertThat(change.qualifiedTable()).isEqualTo("shop.orders");
        assertThat(change.before()).isNull();
        assertThat(change.timestamp()).isEqualTo(Instant.ofEpochMilli(1714567890000L));
        assertThat(change.position().gtid()).isEqualTo("uuid:7");
        Row after = change.after();
        assertThat(after.get("id")).isEqualTo(1L);
        assertThat(after.get("amount")).isEqualTo(new BigDecimal("2.50"));
        assertThat(after.get("created")).isEqualTo(LocalDateTime.of(2024, 5, 1, 12, 34, 56, 789_000_000));
        assertThat(after.get("paid")).isEqualTo(Instant.parse("2024-05-02T00:00:00Z")); // in the server's zone
        assertThat(after.get("flag")).isEqualTo(true);
        assertThat(after.get("price")).isEqualTo(9.5d);
        assertThat(after.get("state")).isEqualTo("paid");
        assertThat(after.get("note")).isEqualTo("a");
        assertThat(((RowChange) events.get(1)).after().get("note")).isNull();
        assertThat(((RowChange) events.get(1)).after().get("amount")).isEqualTo(new BigDecimal("3.25"));
    }

    @Test
    void anUpdatesBeforeImageIsTheAfterImageWithOldPutBack() {
        List<ChangeEvent> events = convert(message("UPDATE", "[" + row(1, "2.5", "b") + "," + row(2, "1", "c") + "]",
                "[{\"note\":\"a\",\"amount\":\"2\"},{\"note\":null}]"));

        RowChange first = (RowChange) events.get(0);
        assertThat(first.type()).isEqualTo(ChangeType.UPDATE);
        assertThat(first.after().get("note")).isEqualTo("b");
        assertThat(first.before().get("note")).isEqualTo("a");
        assertThat(first.before().get("amount")).isEqualTo(new BigDecimal("2.00"));
        assertThat(first.before().get("id")).isEqualTo(1L);
        RowChange second = (RowChange) events.get(1);
        assertThat(second.before().get("note")).isNull();
        assertThat(second.after().get("note")).isEqualTo("c");
    }

    @Test
    void aDeleteCarriesTheBeforeImage() {
        RowChange change = (RowChange) convert(message("DELETE", "[" + row(7, "1", "x") + "]", "null")).get(0);

        assertThat(change.type()).isEqualTo(ChangeType.DELETE);
        assertThat(change.after()).isNull();
        assertThat(change.before().get("id")).isEqualTo(7L);
    }

    @Test
    void columnsInAnotherOrderThanMysqlTypeAreTakenByName() {
        String reordered = "{\"note\":\"n\",\"state\":\"new\",\"price\":\"1.5\",\"flag\":\"0\",\"paid\":null,"
                + "\"created\":null,\"amount\":\"4\",\"id\":\"9\"}";
        RowChange change = (RowChange) convert(message("INSERT", "[" + reordered + "," + row(10, "5", "m") + "]",
                "null")).get(0);

        assertThat(change.after().get("id")).isEqualTo(9L);
        assertThat(change.after().get("amount")).isEqualTo(new BigDecimal("4.00"));
        assertThat(change.after().get("flag")).isEqualTo(false);
        assertThat(change.after().get("note")).isEqualTo("n");
        assertThat(change.after().get("state")).isEqualTo("new");
    }

    @Test
    void ddlBecomesASchemaChangeAndAccountManagementNothing() {
        String ddl = "{\"data\":null,\"database\":\"shop\",\"es\":5,\"gtid\":\"\",\"isDdl\":true,\"mysqlType\":null,"
                + "\"old\":null,\"pkNames\":null,\"sql\":\"%s\",\"table\":\"%s\",\"type\":\"%s\"}";

        List<ChangeEvent> events = convert(String.format(ddl, "ALTER TABLE orders ADD c INT", "orders", "ALTER"));
        SchemaChange change = (SchemaChange) events.get(0);
        assertThat(change.sql()).isEqualTo("ALTER TABLE orders ADD c INT");
        assertThat(change.schema()).isEqualTo("shop");
        assertThat(change.table()).isEqualTo("orders");
        assertThat(change.position().gtid()).isNull();

        List<ChangeEvent> none = new ArrayList<>();
        assertThat(converter.convert(reader.read(String.format(ddl, "GRANT SELECT ON *.* TO u", "", "QUERY")
                .getBytes(StandardCharsets.UTF_8)), none)).isFalse();
        assertThat(none).isEmpty();
    }

    @Test
    void aMessageWithoutChangesGivesNothing() {
        List<ChangeEvent> events = new ArrayList<>();
        boolean held = converter.convert(reader.read(("{\"data\":null,\"database\":\"shop\",\"isDdl\":false,"
                + "\"sql\":\"INSERT INTO t VALUES (1)\",\"table\":\"t\",\"type\":\"QUERY\"}")
                .getBytes(StandardCharsets.UTF_8)), events);

        assertThat(held).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void rowsThatDoNotFitTheirTypesAreErrorsNamingTableAndColumn() {
        assertThatThrownBy(() -> convert(message("INSERT", "[" + row(1, "abc", "x") + "]", "null")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot convert INSERT of shop.orders").hasMessageContaining("amount");
        assertThatThrownBy(() -> convert(message("INSERT", "[{\"id\":\"1\"}]", "null")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binlog_row_image must be FULL");
        assertThatThrownBy(() -> convert(message("INSERT", "[" + row(1, "1", "x").replace("\"note\"", "\"nope\"")
                + "]", "null")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks column 'note'");
        assertThatThrownBy(() -> convert(message("UPDATE", "[" + row(1, "1", "x") + "]", "null")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UPDATE of shop.orders has 0 'old' images for row 1");
        assertThatThrownBy(() -> convert(message("UPDATE", "[" + row(1, "1", "x") + "]", "[{\"nope\":\"1\"}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'old' names column 'nope'");
        assertThatThrownBy(() -> convert(message("INSERT", "[" + row(1, "1", "x") + "]", "null")
                .replace("\"mysqlType\":" + TYPES, "\"mysqlType\":{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INSERT of shop.orders has rows but no mysqlType");
    }
}
