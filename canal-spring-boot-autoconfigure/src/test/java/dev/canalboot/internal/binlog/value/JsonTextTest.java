package dev.canalboot.internal.binlog.value;

import dev.canalboot.internal.mysql.MysqlType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON documents printed as MySQL prints them: {@code ", "} between members, {@code ": "} after keys. */
class JsonTextTest {

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void containersAreSeparatedAsMySqlPrintsThem() {
        Object tree = object("a", 1L, "b", List.of(true, JsonBinary.NULL, List.of()), "c", object(),
                "d", object("e", List.of(object("f", false))));
        assertThat(JsonText.write(tree))
                .isEqualTo("{\"a\": 1, \"b\": [true, null, []], \"c\": {}, \"d\": {\"e\": [{\"f\": false}]}}");
        assertThat(JsonText.write(List.of())).isEqualTo("[]");
        assertThat(JsonText.write(List.of(List.of(1L), List.of(2L)))).isEqualTo("[[1], [2]]");
    }

    @Test
    void scalarsAtTheTopLevel() {
        assertThat(JsonText.write(JsonBinary.NULL)).isEqualTo("null");
        assertThat(JsonText.write(Boolean.FALSE)).isEqualTo("false");
        assertThat(JsonText.write(-7L)).isEqualTo("-7");
        assertThat(JsonText.write(new BigInteger("18446744073709551615"))).isEqualTo("18446744073709551615");
        assertThat(JsonText.write("x")).isEqualTo("\"x\"");
        assertThat(JsonText.write(new JsonBinary.Opaque("2024-02-29"))).isEqualTo("\"2024-02-29\"");
    }

    @Test
    void decimalsArePlainAndDoublesUseALowerCaseExponent() {
        assertThat(JsonText.write(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(JsonText.write(new BigDecimal("-0.00010"))).isEqualTo("-0.00010");
        assertThat(JsonText.write(2.5d)).isEqualTo("2.5");
        assertThat(JsonText.write(1e20)).isEqualTo("1e20");
        assertThat(JsonText.write(-1.0e-5)).isEqualTo("-0.00001");
    }

    @Test
    void stringsEscapeOnlyWhatJsonNeedsEscaped() {
        String raw = "q\"b\\n\nr\rt\tb\bf\f" + (char) 1 + (char) 0x1f + "/é中";
        assertThat(JsonText.write(List.of(raw)))
                .isEqualTo("[\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f/é中\"]");
        assertThat(JsonText.write(object("ké\"y", "v"))).isEqualTo("{\"ké\\\"y\": \"v\"}");
    }

    @Test
    void theWriterTakesKeysAndStringsAsUtf8Bytes() {
        JsonText.Writer writer = new JsonText.Writer(1);
        byte[] data = "..ключ..значение\n".getBytes(StandardCharsets.UTF_8);
        int keyStart = 2;
        int keyLength = "ключ".getBytes(StandardCharsets.UTF_8).length;
        int valueStart = keyStart + keyLength + 2;
        writer.beginObject();
        writer.key(data, keyStart, keyLength);
        writer.string(data, valueStart, data.length - valueStart);
        writer.key("n");
        writer.integer(Long.MIN_VALUE);
        writer.endObject();
        assertThat(writer.toString()).isEqualTo("{\"ключ\": \"значение\\n\", \"n\": -9223372036854775808}");
    }

    @Test
    void theTreeBuilderRestoresTheKeyOfTheEnclosingObject() {
        JsonText.TreeBuilder builder = new JsonText.TreeBuilder();
        builder.beginObject();
        builder.key("a");
        builder.beginObject();
        builder.key("b");
        builder.scalar(1L);
        builder.endObject();
        builder.key("c");
        builder.beginArray();
        builder.scalar(1L);
        builder.beginObject();
        builder.key("d");
        builder.scalar(2L);
        builder.endObject();
        builder.endArray();
        builder.key("e");
        builder.scalar("x");
        builder.endObject();
        Object root = builder.root();
        assertThat(root).isEqualTo(object("a", object("b", 1L), "c", List.of(1L, object("d", 2L)), "e", "x"));
        assertThat(((Map<?, ?>) root).keySet().toString()).isEqualTo("[a, c, e]");
        assertThat(((Map<?, ?>) root).get("c")).isInstanceOf(ArrayList.class);
    }

    @Test
    void packedTemporalsPrintAsMySqlPrintsThemInsideJson() {
        long ymd = ((2024L * 13 + 2) << 5) | 9;
        long hms = (7L << 12) | (5L << 6) | 3;
        long datetime = (((ymd << 17) | hms) << 24) | 42;
        assertThat(JsonText.packedTemporal(MysqlType.DATETIME, datetime)).isEqualTo("2024-02-09 07:05:03.000042");
        assertThat(JsonText.packedTemporal(MysqlType.DATE, (ymd << 17) << 24)).isEqualTo("2024-02-09");
        long time = (((100L << 12) | (2L << 6) | 1) << 24) | 500_000;
        assertThat(JsonText.packedTemporal(MysqlType.TIME, time)).isEqualTo("100:02:01.500000");
        assertThat(JsonText.packedTemporal(MysqlType.TIME, -time)).isEqualTo("-100:02:01.500000");
    }
}
