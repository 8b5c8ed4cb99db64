package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.binlog.BinlogDecodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JSON diffs of PARTIAL_UPDATE_ROWS_EVENT, laid out from the format description: operation byte, length-encoded
 * path, and for replace and insert a length-encoded binary JSON value.
 */
class JsonDiffTest {

    private static final int REPLACE = 0;
    private static final int INSERT = 1;
    private static final int REMOVE = 2;

    /** Binary JSON scalars: an INT16 and a short string. */
    private static byte[] int16(int v) {
        return new byte[] {0x05, (byte) v, (byte) (v >> 8)};
    }

    private static byte[] string(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[2 + text.length];
        b[0] = 0x0c;
        b[1] = (byte) text.length;
        System.arraycopy(text, 0, b, 2, text.length);
        return b;
    }

    private static ByteBuf diffs(Object... opPathValue) {
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < opPathValue.length; i += 3) {
            byte[] path = ((String) opPathValue[i + 1]).getBytes(StandardCharsets.UTF_8);
            out.writeByte((Integer) opPathValue[i]).writeByte(path.length).writeBytes(path);
            byte[] value = (byte[]) opPathValue[i + 2];
            if (value != null) {
                out.writeByte(value.length).writeBytes(value);
            }
        }
        return out;
    }

    /** {"a": 1, "list": [1, 2, 3], "o": {"k": "v"}} as a mutable tree. */
    private static Map<String, Object> before() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("a", 1L);
        doc.put("list", new ArrayList<>(List.of(1L, 2L, 3L)));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("k", "v");
        doc.put("o", o);
        return doc;
    }

    private static String apply(Object before, ByteBuf diffs) {
        return JsonText.write(JsonDiff.apply(before, diffs));
    }

    @Test
    void replaceInsertAndRemoveInObjectsAndArrays() {
        assertThat(apply(before(), diffs(REPLACE, "$.o.k", string("w"), REMOVE, "$.list[1]", null,
                INSERT, "$.list[0]", int16(0), INSERT, "$.list[99]", int16(9))))
                .isEqualTo("{\"a\": 1, \"list\": [0, 1, 3, 9], \"o\": {\"k\": \"w\"}}");
    }

    @Test
    void insertedKeysTakeMySqlsKeyOrderByLengthThenBytes() {
        assertThat(apply(before(), diffs(INSERT, "$.zz", int16(1), INSERT, "$.b", int16(2), INSERT, "$.B", int16(3))))
                .isEqualTo("{\"B\": 3, \"a\": 1, \"b\": 2, \"o\": {\"k\": \"v\"}, \"zz\": 1, \"list\": [1, 2, 3]}");
    }

    @Test
    void replacingTheWholeDocument() {
        assertThat(apply(before(), diffs(REPLACE, "$", int16(5)))).isEqualTo("5");
        assertThatThrownBy(() -> JsonDiff.apply(before(), diffs(REMOVE, "$", null)))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("JSON diff cannot remove the whole document");
        assertThatThrownBy(() -> JsonDiff.apply(before(), diffs(INSERT, "$", int16(1))))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("JSON diff cannot insert the whole document");
    }

    @Test
    void aPathMissingFromTheBeforeImageIsNamed() {
        for (ByteBuf d : List.of(diffs(REPLACE, "$.nope", int16(1)), diffs(REMOVE, "$.nope", null),
                diffs(REPLACE, "$.list[3]", int16(1)), diffs(REMOVE, "$.list[3]", null),
                diffs(REPLACE, "$.x.y", int16(1)))) {
            String path = d.toString(2, d.getByte(1), StandardCharsets.UTF_8);
            assertThatThrownBy(() -> JsonDiff.apply(before(), d)).isInstanceOf(BinlogDecodeException.class)
                    .hasMessage("JSON diff path " + path + " does not exist in the before image");
        }
    }

    @Test
    void aPathOfTheWrongKindIsNamed() {
        assertThatThrownBy(() -> JsonDiff.apply(before(), diffs(REPLACE, "$.list.k", int16(1))))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("JSON diff path $.list.k names a member of a non-object");
        assertThatThrownBy(() -> JsonDiff.apply(before(), diffs(REPLACE, "$.o[0]", int16(1))))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("JSON diff path $.o[0] indexes a non-array");
        assertThatThrownBy(() -> JsonDiff.apply(before(), diffs(REMOVE, "$.list[-1]", null)))
                .isInstanceOf(BinlogDecodeException.class)
                .hasMessage("negative array index in JSON diff path $.list[-1]");
    }

    @Test
    void anUnknownOperationIsADecodeError() {
        assertThatThrownBy(() -> JsonDiff.apply(before(), diffs(3, "$.a", null)))
                .isInstanceOf(BinlogDecodeException.class).hasMessage("unknown JSON diff operation 3");
    }

    @Test
    void aPathLongerThanTheDiffIsADecodeError() {
        ByteBuf truncated = Unpooled.buffer().writeByte(REMOVE).writeByte(40).writeBytes("$.a".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> JsonDiff.apply(before(), truncated)).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("JSON diff path length 40 exceeds the 3 bytes left");
    }

    @Test
    void pathsWithQuotedKeysEscapesAndIndexes() {
        assertThat(JsonDiff.parsePath("$")).isEmpty();
        assertThat(JsonDiff.parsePath("$.a[2].b")).containsExactly("a", 2, "b");
        assertThat(JsonDiff.parsePath("$.\"a.b[0]\"[ 1 ]")).containsExactly("a.b[0]", 1);
        assertThat(JsonDiff.parsePath("$.\"q\\\"x\\n\\u00e9\"")).containsExactly("q\"x\né");
    }

    @Test
    void malformedPathsNameThePath() {
        assertThatThrownBy(() -> JsonDiff.parsePath("")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("JSON diff path '' does not start with $");
        assertThatThrownBy(() -> JsonDiff.parsePath("$.\"open")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("unterminated key in JSON diff path '$.\"open'");
        assertThatThrownBy(() -> JsonDiff.parsePath("$[1")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("unterminated index in JSON diff path '$[1'");
        assertThatThrownBy(() -> JsonDiff.parsePath("$[x]")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("bad array index in JSON diff path '$[x]'");
        assertThatThrownBy(() -> JsonDiff.parsePath("$a")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("unexpected 'a' in JSON diff path '$a'");
        assertThatThrownBy(() -> JsonDiff.parsePath("$.\"\\u12\"")).isInstanceOf(BinlogDecodeException.class)
                .hasMessage("bad escape in JSON diff path '$.\"\\u12\"'");
    }
}
