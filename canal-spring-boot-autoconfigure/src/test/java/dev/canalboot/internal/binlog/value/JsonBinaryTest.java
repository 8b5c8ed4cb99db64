package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binary JSON documents laid out by hand from the format description. */
class JsonBinaryTest {

    private static ByteBuf doc(int... bytes) {
        ByteBuf b = Unpooled.buffer();
        for (int v : bytes) {
            b.writeByte(v);
        }
        return b;
    }

    @Test
    void smallObjectWithInlinedInteger() {
        // type, count, size, key entry (offset, length), value entry (INT16 inlined 1), key "a"
        ByteBuf d = doc(0x00, 1, 0, 12, 0, 11, 0, 1, 0, 0x05, 1, 0, 'a');
        assertThat(JsonBinary.toText(d)).isEqualTo("{\"a\": 1}");
    }

    @Test
    void arrayWithStringLiteralsAndDouble() {
        // [ "hi", true, null, 2.5 ]: 4 value entries of 3 bytes after count and size
        ByteBuf d = Unpooled.buffer();
        d.writeByte(0x02);
        int headerSize = 4 + 4 * 3;
        int stringAt = headerSize;
        int doubleAt = stringAt + 3;
        int size = doubleAt + 8;
        d.writeShortLE(4).writeShortLE(size);
        d.writeByte(0x0c).writeShortLE(stringAt);
        d.writeByte(0x04).writeShortLE(1);
        d.writeByte(0x04).writeShortLE(0);
        d.writeByte(0x0b).writeShortLE(doubleAt);
        d.writeByte(2).writeBytes("hi".getBytes(StandardCharsets.UTF_8));
        d.writeLongLE(Double.doubleToLongBits(2.5));
        assertThat(JsonBinary.toText(d)).isEqualTo("[\"hi\", true, null, 2.5]");
    }

    @Test
    void scalarsAtTopLevelAndEscapes() {
        assertThat(JsonBinary.toText(doc(0x04, 2))).isEqualTo("false");
        assertThat(JsonBinary.toText(doc(0x09, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).isEqualTo("-1");
        assertThat(JsonBinary.toText(doc(0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)))
                .isEqualTo("18446744073709551615");
        assertThat(JsonBinary.toText(doc(0x0c, 4, 'a', '"', '\n', 1))).isEqualTo("\"a\\\"\\n\\u0001\"");
    }

    @Test
    void opaqueDecimalAndDate() {
        // DECIMAL(14,4) 1234567890.1234 as an opaque value: type 246, length, precision, scale, bytes
        assertThat(JsonBinary.toText(doc(0x0f, 246, 9, 14, 4, 0x81, 0x0d, 0xfb, 0x38, 0xd2, 0x04, 0xd2)))
                .isEqualTo("1234567890.1234");
        long ymd = ((2024L * 13 + 2) << 5) | 29;
        long packed = (ymd << 17) << 24;
        ByteBuf date = Unpooled.buffer().writeByte(0x0f).writeByte(10).writeByte(8).writeLongLE(packed);
        assertThat(JsonBinary.toText(date)).isEqualTo("\"2024-02-29\"");
    }

    @Test
    void nestedContainersGiveTheSameTextDirectlyAndThroughTheTree() {
        // {"k": [1, {"x": []}], "z": true}: built as nested small containers
        ByteBuf innerArray = Unpooled.buffer().writeShortLE(0).writeShortLE(4);
        ByteBuf obj = Unpooled.buffer();
        obj.writeShortLE(1).writeShortLE(4 + 4 + 3 + 1 + 4);
        obj.writeShortLE(11).writeShortLE(1).writeByte(0x02).writeShortLE(12).writeByte('x').writeBytes(innerArray);
        ByteBuf array = Unpooled.buffer();
        int arraySize = 4 + 2 * 3 + obj.readableBytes();
        array.writeShortLE(2).writeShortLE(arraySize);
        array.writeByte(0x05).writeShortLE(1).writeByte(0x00).writeShortLE(10).writeBytes(obj);
        ByteBuf top = Unpooled.buffer();
        int keysAt = 4 + 2 * 4 + 2 * 3;
        int arrayAt = keysAt + 2;
        top.writeByte(0x00).writeShortLE(2).writeShortLE(arrayAt + array.readableBytes());
        top.writeShortLE(keysAt).writeShortLE(1).writeShortLE(keysAt + 1).writeShortLE(1);
        top.writeByte(0x02).writeShortLE(arrayAt).writeByte(0x04).writeShortLE(1);
        top.writeByte('k').writeByte('z').writeBytes(array);
        String expected = "{\"k\": [1, {\"x\": []}], \"z\": true}";
        assertThat(JsonBinary.toText(top.duplicate())).isEqualTo(expected);
        assertThat(JsonText.write(JsonBinary.parse(top.duplicate()))).isEqualTo(expected);
    }

    @Test
    void offsetsOutsideTheDocumentAreDecodeErrors() {
        ByteBuf d = doc(0x00, 1, 0, 12, 0, 200, 0, 1, 0, 0x05, 1, 0, 'a');
        assertThatThrownBy(() -> JsonBinary.toText(d)).isInstanceOf(BinlogDecodeException.class);
    }

    @Test
    void diffsReplaceInsertAndRemoveByPath() {
        Object doc = new java.util.LinkedHashMap<>(java.util.Map.of("a", 1L));
        ((java.util.Map<String, Object>) doc).put("list", new java.util.ArrayList<>(java.util.List.of(1L, 2L)));
        ByteBuf diffs = Unpooled.buffer();
        diff(diffs, 0, "$.a", doc(0x05, 9, 0));
        diff(diffs, 1, "$.list[1]", doc(0x04, 1));
        diff(diffs, 1, "$.b", doc(0x0c, 1, 'x'));
        diff(diffs, 2, "$.list[0]", null);
        assertThat(JsonText.write(JsonDiff.apply(doc, diffs))).isEqualTo("{\"a\": 9, \"b\": \"x\", \"list\": [true, 2]}");
    }

    private static void diff(ByteBuf out, int op, String path, ByteBuf value) {
        out.writeByte(op).writeByte(path.length()).writeBytes(path.getBytes(StandardCharsets.UTF_8));
        if (value != null) {
            out.writeByte(value.readableBytes()).writeBytes(value);
        }
    }

    @Test
    void pathsWithQuotedKeysAndIndexes() {
        assertThat(JsonDiff.parsePath("$.\"a b\"[3].c")).containsExactly("a b", 3, "c");
        assertThatThrownBy(() -> JsonDiff.parsePath("a.b")).isInstanceOf(BinlogDecodeException.class);
    }
}
