package dev.canalboot.snapshot;

import dev.canalboot.model.ColumnType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A table as a snapshot reads it: the column types, the key, the chunk SELECT and the key literals. */
class SnapshotTableTest {

    private static SnapshotTable.ColumnInfo col(String name, String columnType, String charset, boolean pk) {
        String dataType = columnType.replaceAll("[( ].*", "");
        return new SnapshotTable.ColumnInfo(name, dataType, columnType, charset, pk);
    }

    private static final SnapshotTable ORDERS = new SnapshotTable("shop", "order`s", List.of(
            col("region", "varchar(8)", "utf8mb4", true),
            col("id", "bigint unsigned", null, true),
            col("flags", "bit(3)", null, false),
            col("code", "varbinary(4)", null, false),
            col("note", "text", "binary", false)), List.of("region", "id"));

    @Test
    void columnsAreTypedAsTheBinlogTypesThemAndBinaryCharsetTextIsBinary() {
        assertThat(ORDERS.tableSchema.columns()).extracting(c -> c.type()).containsExactly(ColumnType.VARCHAR,
                ColumnType.BIGINT, ColumnType.BIT, ColumnType.VARBINARY, ColumnType.BLOB);
        assertThat(ORDERS.tableSchema.column(1).unsigned()).isTrue();
        assertThat(ORDERS.tableSchema.column(0).charset()).isEqualTo("UTF-8");
        assertThat(ORDERS.tableSchema.column(4).charset()).isNull();
        assertThat(ORDERS.key).containsExactly(0, 1);
        assertThat(ORDERS.qualifiedName()).isEqualTo("shop.order`s");
    }

    @Test
    void theFirstChunkReadsFromTheStartAndTheNextAfterTheLastKeyInKeyOrder() {
        // Key columns qualified by the table: an alias of the select list must not stand for them.
        assertThat(ORDERS.chunkQuery(null, 100)).isEqualTo("SELECT `region`, `id`, `flags` + 0, `code`, `note`"
                + " FROM `shop`.`order``s` ORDER BY `shop`.`order``s`.`region`, `shop`.`order``s`.`id` LIMIT 100");
        assertThat(ORDERS.chunkQuery(List.of("_utf8mb4 X'6575'", "42"), 7)).isEqualTo("SELECT `region`, `id`,"
                + " `flags` + 0, `code`, `note` FROM `shop`.`order``s` WHERE (`shop`.`order``s`.`region`,"
                + " `shop`.`order``s`.`id`) > (_utf8mb4 X'6575', 42)"
                + " ORDER BY `shop`.`order``s`.`region`, `shop`.`order``s`.`id` LIMIT 7");
    }

    @Test
    void mariaDbUuidAndInetColumnsAreReadAsTheBinlogsBytesAndTheirKeysComparedAsText() {
        SnapshotTable t = new SnapshotTable("s", "t", List.of(col("u", "uuid", null, true),
                col("a", "inet6", null, false), col("b", "inet4", null, false)), List.of("u"));
        assertThat(t.tableSchema.columns()).extracting(c -> c.type()).containsOnly(ColumnType.BINARY);
        assertThat(t.tableSchema.columns()).extracting(c -> c.length()).containsExactly(16, 16, 4);
        assertThat(t.chunkQuery(null, 5)).isEqualTo("SELECT CAST(`u` AS BINARY(16)) AS `u`, CAST(`a` AS BINARY(16))"
                + " AS `a`, CAST(`b` AS BINARY(4)) AS `b` FROM `s`.`t` ORDER BY `s`.`t`.`u` LIMIT 5");
        byte[] uuid = java.util.HexFormat.of().parseHex("123e4567e89b12d3a456426614174000");
        assertThat(t.literal(0, uuid)).isEqualTo("'123e4567-e89b-12d3-a456-426614174000'");
        assertThat(SnapshotTable.mariaDbText("inet4", new byte[] {(byte) 192, (byte) 168, 1, 10}))
                .isEqualTo("192.168.1.10");
        assertThat(SnapshotTable.mariaDbText("inet6", java.util.HexFormat.of().parseHex("20010db8000000000000ff0000428329")))
                .isEqualTo("2001:0db8:0000:0000:0000:ff00:0042:8329");
    }

    @Test
    void keyLiteralsCompareAsTheColumnDoes() {
        SnapshotTable t = new SnapshotTable("s", "t", List.of(
                col("n", "decimal(10,2)", null, true), col("b", "varbinary(4)", null, true),
                col("d", "datetime(3)", null, true), col("v", "varchar(10)", "utf8mb4", true)),
                List.of("n", "b", "d", "v"));
        assertThat(t.literal(0, bytes("-12.50"))).isEqualTo("-12.50");
        assertThat(t.literal(1, new byte[] {0, (byte) 0xff, 'a'})).isEqualTo("X'00ff61'");
        assertThat(t.literal(2, bytes("2024-02-29 10:00:00.123"))).isEqualTo("'2024-02-29 10:00:00.123'");
        assertThat(t.literal(3, "it's".getBytes(StandardCharsets.UTF_8))).isEqualTo("_utf8mb4 X'69742773'");
    }

    @Test
    void aKeyColumnThatIsNotThereOrDoesNotOrderIsRefusedNamingIt() {
        List<SnapshotTable.ColumnInfo> columns = List.of(col("id", "int", null, true),
                col("e", "enum('a','b')", "utf8mb4", false), col("j", "json", null, false));
        assertThatThrownBy(() -> new SnapshotTable("s", "t", columns, List.of("nope")))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("'nope'").hasMessageContaining("[id, e, j]");
        assertThatThrownBy(() -> new SnapshotTable("s", "t", columns, List.of("e")))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("key column e is of type ENUM")
                .hasMessageContaining("snapshot.key-columns");
        assertThatThrownBy(() -> new SnapshotTable("s", "t", columns, List.of("id", "j")))
                .hasMessageContaining("key column j is of type JSON");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
