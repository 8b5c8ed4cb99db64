package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.event.TableMapEvent;
import dev.canalboot.internal.mysql.MysqlType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.ZeroDatePolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoding plan of a table map, for {@code (id INT UNSIGNED PRIMARY KEY, name VARCHAR(10) utf8mb4,
 * e ENUM('a','b'))}, from the table map's own metadata (FULL) or from information_schema shapes (MINIMAL).
 */
class TableDecoderTest {

    private static final int UTF8MB4 = 45;
    private static final int[] TYPES = {MysqlType.LONG, MysqlType.VARCHAR, MysqlType.ENUM};
    /** VARCHAR(10) utf8mb4: up to 40 bytes; ENUM: 1 byte per value. */
    private static final int[] META = {0, 40, 1};
    private static final List<ColumnShape> SHAPES = List.of(
            new ColumnShape("id", "int", "int unsigned", null, true),
            new ColumnShape("name", "varchar", "varchar(10)", "utf8mb4", false),
            new ColumnShape("e", "enum", "enum('a','b')", "utf8mb4", false));

    private static TableMapEvent map(int[] types, int[] meta, TableMapEvent.OptionalMetadata optional) {
        return new TableMapEvent(9, "shop", "items", types, meta, new boolean[types.length], optional);
    }

    private static TableMapEvent full() {
        return map(TYPES, META, new TableMapEvent.OptionalMetadata(new boolean[] {true, false, false},
                new int[] {-1, UTF8MB4, UTF8MB4}, List.of("id", "name", "e"), List.of(List.of("a", "b")),
                List.of(), new int[] {0}));
    }

    /** MINIMAL metadata: signedness and collations, no names. */
    private static TableMapEvent minimal(boolean withCollations) {
        return map(TYPES, META, new TableMapEvent.OptionalMetadata(null,
                withCollations ? new int[] {-1, UTF8MB4, UTF8MB4} : null, List.of(), List.of(), List.of(), null));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A full row image (no nulls): id 4294967295, name "héllo", e 'b'; then one trailing byte. */
    private static byte[] row() {
        byte[] name = "héllo".getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer().writeByte(0).writeIntLE(-1).writeByte(name.length).writeBytes(name)
                .writeByte(2).writeByte(0x55);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static final byte[] ALL = bytes(0b111);

    @Test
    void fullMetadataGivesNamesSignednessCharsetsEnumValuesAndKey() {
        TableSchema schema = TableDecoder.build(full(), null, ZeroDatePolicy.NULL).schema();
        assertThat(schema.qualifiedName()).isEqualTo("shop.items");
        assertThat(schema.columns()).containsExactly(
                new Column("id", 0, ColumnType.INT, true, 0, 0, null, true, List.of()),
                new Column("name", 1, ColumnType.VARCHAR, false, 10, 0, "UTF-8", false, List.of()),
                new Column("e", 2, ColumnType.ENUM, false, 0, 0, "UTF-8", false, List.of("a", "b")));
    }

    @Test
    void minimalMetadataTakesWhatItLacksFromTheTableShapes() {
        TableDecoder decoder = TableDecoder.build(minimal(false), SHAPES, ZeroDatePolicy.NULL);
        assertThat(decoder.schema().columns()).containsExactly(
                new Column("id", 0, ColumnType.INT, true, 0, 0, null, true, List.of()),
                new Column("name", 1, ColumnType.VARCHAR, false, 10, 0, "UTF-8", false, List.of()),
                new Column("e", 2, ColumnType.ENUM, false, 0, 0, "UTF-8", false, List.of("a", "b")));
        assertThat(decoder.columnCount()).isEqualTo(3);
    }

    @Test
    void decodesAFullImageAndSkipsItByTheSameBytes() {
        TableDecoder decoder = TableDecoder.build(full(), null, ZeroDatePolicy.NULL);
        ByteReader in = ByteReader.of(row());
        assertThat(decoder.decodeImage(in, ALL, 3, null)).containsExactly(4294967295L, "héllo", "b");
        assertThat(in.remaining()).isEqualTo(1);
        ByteReader skipped = ByteReader.of(row());
        decoder.skipImage(skipped, ALL, 3);
        assertThat(skipped.remaining()).isEqualTo(1);
    }

    @Test
    void nullsComeFromTheNullBitmapAndAbsentColumnsAreNull() {
        TableDecoder decoder = TableDecoder.build(full(), null, ZeroDatePolicy.NULL);
        // name NULL
        ByteReader withNull = ByteReader.of(bytes(0b010, 7, 0, 0, 0, 1));
        assertThat(decoder.decodeImage(withNull, ALL, 3, null)).containsExactly(7L, null, "a");
        assertThat(withNull.hasRemaining()).isFalse();
        // binlog_row_image=MINIMAL: only id and e present; the null bitmap has one bit per present column
        byte[] present = bytes(0b101);
        ByteReader minimal = ByteReader.of(bytes(0b00, 7, 0, 0, 0, 2));
        assertThat(decoder.decodeImage(minimal, present, 2, null)).containsExactly(7L, null, "b");
        ByteReader eNull = ByteReader.of(bytes(0b10, 7, 0, 0, 0));
        assertThat(decoder.decodeImage(eNull, present, 2, null)).as("bit 1 of the null bitmap is e, not name")
                .containsExactly(7L, null, null);
        assertThat(eNull.hasRemaining()).isFalse();
        ByteReader skipped = ByteReader.of(bytes(0b10, 7, 0, 0, 0));
        decoder.skipImage(skipped, present, 2);
        assertThat(skipped.hasRemaining()).as("e is null: nothing after id").isFalse();
    }

    @Test
    void aBadValueNamesItsColumn() {
        TableDecoder decoder = TableDecoder.build(full(), null, ZeroDatePolicy.NULL);
        ByteReader truncated = ByteReader.of(bytes(0, 1, 0, 0, 0, 9, 'a'));
        assertThatThrownBy(() -> decoder.decodeImage(truncated, ALL, 3, null))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("column shop.items.name (VARCHAR): ");
        ByteReader badEnum = ByteReader.of(bytes(0, 1, 0, 0, 0, 0, 7));
        assertThatThrownBy(() -> decoder.decodeImage(badEnum, ALL, 3, null))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("column shop.items.e (ENUM): ");
        assertThatThrownBy(() -> decoder.skipImage(ByteReader.of(bytes(0, 1, 0, 0, 0, 9, 'a')), ALL, 3))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("column shop.items.name (VARCHAR): ");
    }

    @Test
    void noNamesAndNoShapesSaysHowToGetThem() {
        assertThatThrownBy(() -> TableDecoder.build(minimal(true), null, ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("table map of shop.items carries no column names")
                .hasMessageContaining("binlog_row_metadata=FULL");
    }

    @Test
    void shapesThatNoLongerMatchTheTableMapAreAnErrorNotAShiftedRow() {
        assertThatThrownBy(() -> TableDecoder.build(minimal(true), SHAPES.subList(0, 2), ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("table map of shop.items has 3 columns but the table now has 2 ([id, name]);"
                        + " the table changed after these events were written");
        List<ColumnShape> retyped = List.of(SHAPES.get(0), new ColumnShape("name", "int", "int", null, false),
                SHAPES.get(2));
        assertThatThrownBy(() -> TableDecoder.build(minimal(true), retyped, ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("table map of shop.items gives column 1 (name) binlog type VARCHAR but the"
                        + " table now declares it int");
    }

    @Test
    void charsetProblemsNameTheColumn() {
        TableMapEvent unknownCollation = map(TYPES, META, new TableMapEvent.OptionalMetadata(null,
                new int[] {-1, 4000, UTF8MB4}, List.of("id", "name", "e"), List.of(List.of("a", "b")), List.of(),
                null));
        assertThatThrownBy(() -> TableDecoder.build(unknownCollation, null, ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("column shop.items.name has unknown collation id 4000");
        TableMapEvent noCollations = map(TYPES, META, new TableMapEvent.OptionalMetadata(null, null,
                List.of("id", "name", "e"), List.of(List.of("a", "b")), List.of(), null));
        assertThatThrownBy(() -> TableDecoder.build(noCollations, null, ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("the character set of column shop.items.name is unknown");
    }

    @Test
    void enumValuesMissingFromBothSourcesAreAnError() {
        TableMapEvent noEnumValues = map(TYPES, META, new TableMapEvent.OptionalMetadata(null,
                new int[] {-1, UTF8MB4, UTF8MB4}, List.of("id", "name", "e"), List.of(), List.of(), null));
        assertThatThrownBy(() -> TableDecoder.build(noEnumValues, null, ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("table map of shop.items names column e but not its ENUM/SET values");
        List<ColumnShape> badEnum = List.of(SHAPES.get(0), SHAPES.get(1),
                new ColumnShape("e", "enum", "enum", "utf8mb4", false));
        assertThatThrownBy(() -> TableDecoder.build(minimal(true), badEnum, ZeroDatePolicy.NULL))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessageStartingWith("column shop.items.e: ENUM/SET column type 'enum'");
    }

    @Test
    void aPartialJsonUpdateAppliesItsDiffToTheBeforeDocument() {
        TableMapEvent map = map(new int[] {MysqlType.LONG, MysqlType.JSON}, new int[] {0, 4},
                new TableMapEvent.OptionalMetadata(null, null, List.of("id", "doc"), List.of(), List.of(), null));
        TableDecoder decoder = TableDecoder.build(map, null, ZeroDatePolicy.NULL);
        // diff: replace $.a with the binary JSON integer 9 (INT16)
        ByteBuf diff = Unpooled.buffer().writeByte(0).writeByte(3).writeBytes("$.a".getBytes(StandardCharsets.UTF_8))
                .writeByte(3).writeByte(0x05).writeShortLE(9);
        ByteBuf image = Unpooled.buffer().writeByte(1) // value options: PARTIAL_JSON
                .writeByte(1) // the one JSON column is logged as a diff
                .writeByte(0) // null bitmap
                .writeIntLE(5).writeIntLE(diff.readableBytes()).writeBytes(diff);
        byte[] bytes = new byte[image.readableBytes()];
        image.readBytes(bytes);
        Map<String, Object> before = new LinkedHashMap<>(Map.of("a", 1L));
        Object[] beforeJson = {null, before};
        assertThat(decoder.decodePartialImage(ByteReader.of(bytes), bytes(0b11), 2, beforeJson))
                .containsExactly(5, "{\"a\": 9}");
        assertThatThrownBy(() -> decoder.decodePartialImage(ByteReader.of(bytes), bytes(0b11), 2,
                new Object[2])).isInstanceOf(BinlogDecodeException.class)
                .hasMessageContaining("partial JSON update has no before value")
                .hasMessageContaining("column shop.items.doc (JSON)");
    }
}
