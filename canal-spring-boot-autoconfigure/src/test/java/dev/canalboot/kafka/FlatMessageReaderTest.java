package dev.canalboot.kafka;

import dev.canalboot.model.ColumnType;
import dev.canalboot.model.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class FlatMessageReaderTest {

    private final FlatMessageReader reader = new FlatMessageReader("test");

    /** A flat message as Canal 1.1.7 writes it (fields in name order, values as text). */
    static String message(String table, String mysqlType, String rows) {
        return "{\"data\":" + rows + ",\"database\":\"shop\",\"es\":1714567890000,\"gtid\":\"uuid:7\","
                + "\"id\":3,\"isDdl\":false,\"mysqlType\":" + mysqlType + ",\"old\":null,\"pkNames\":[\"id\"],"
                + "\"sql\":\"\",\"sqlType\":{\"id\":-5,\"name\":12},\"table\":\"" + table + "\","
                + "\"ts\":1714567890001,\"type\":\"INSERT\"}";
    }

    private FlatRecord read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFieldsTheSourceUses() {
        FlatRecord record = read(message("orders", "{\"id\":\"bigint\",\"name\":\"varchar(20)\"}",
                "[{\"id\":\"1\",\"name\":\"a\"},{\"id\":\"2\",\"name\":null}]"));

        assertThat(record.database()).isEqualTo("shop");
        assertThat(record.table()).isEqualTo("orders");
        assertThat(record.type()).isEqualTo("INSERT");
        assertThat(record.isDdl()).isFalse();
        assertThat(record.es()).isEqualTo(1714567890000L);
        assertThat(record.gtid()).isEqualTo("uuid:7");
        assertThat(record.sql()).isEmpty();
        assertThat(record.old()).isNull();
        assertThat(record.data()).hasSize(2);
        assertThat(record.data().get(0).names()).containsExactly("id", "name");
        assertThat(record.data().get(0).values()).containsExactly("1", "a");
        assertThat(record.data().get(1).values()).containsExactly("2", null);
        assertThat(record.data().get(1).names()).as("rows of the same columns share their names")
                .isSameAs(record.data().get(0).names());
    }

    @Test
    void theSchemaComesFromMysqlTypeAndPkNames() {
        TableSchema schema = read(message("orders",
                "{\"id\":\"bigint(20) unsigned\",\"amount\":\"decimal(12,2)\",\"state\":\"enum('new','paid')\"}",
                "[{\"id\":\"1\",\"amount\":\"2.50\",\"state\":\"new\"}]")).schema();

        assertThat(schema.schema()).isEqualTo("shop");
        assertThat(schema.table()).isEqualTo("orders");
        assertThat(schema.columns()).extracting(c -> c.name()).containsExactly("id", "amount", "state");
        assertThat(schema.column(0).type()).isEqualTo(ColumnType.BIGINT);
        assertThat(schema.column(0).unsigned()).isTrue();
        assertThat(schema.column(1).scale()).isEqualTo(2);
        assertThat(schema.column(2).elements()).containsExactly("new", "paid");
        assertThat(schema.primaryKey()).containsExactly("id");
    }

    @Test
    void aShapeSeenBeforeGivesTheSameSchemaAndAnotherShapeAnotherOne() {
        String types = "{\"id\":\"bigint\",\"name\":\"varchar(20)\"}";
        TableSchema first = read(message("a", types, "[{\"id\":\"1\",\"name\":\"x\"}]")).schema();
        TableSchema again = read(message("a", types, "[{\"id\":\"2\",\"name\":\"y\"}]")).schema();
        TableSchema otherTable = read(message("b", types, "[{\"id\":\"2\",\"name\":\"y\"}]")).schema();
        TableSchema backToA = read(message("a", types, "[{\"id\":\"3\",\"name\":\"z\"}]")).schema();
        TableSchema altered = read(message("a", "{\"id\":\"bigint\",\"name\":\"varchar(40)\"}",
                "[{\"id\":\"4\",\"name\":\"w\"}]")).schema();
        TableSchema reordered = read(message("a", "{\"name\":\"varchar(20)\",\"id\":\"bigint\"}",
                "[{\"id\":\"4\",\"name\":\"w\"}]")).schema();

        assertThat(again).isSameAs(first);
        assertThat(otherTable).isNotSameAs(first);
        assertThat(otherTable.table()).isEqualTo("b");
        assertThat(backToA).isSameAs(first);
        assertThat(altered).isNotSameAs(first);
        assertThat(altered.column(1).length()).isEqualTo(40);
        assertThat(reordered.columns()).extracting(c -> c.name()).containsExactly("name", "id");
    }

    @Test
    void anotherPrimaryKeyIsAnotherSchema() {
        String types = "{\"id\":\"bigint\",\"name\":\"varchar(20)\"}";
        TableSchema byId = read(message("a", types, "[{\"id\":\"1\",\"name\":\"x\"}]")).schema();
        TableSchema byName = read(message("a", types, "[{\"id\":\"1\",\"name\":\"x\"}]")
                .replace("\"pkNames\":[\"id\"]", "\"pkNames\":[\"name\"]")).schema();
        TableSchema none = read(message("a", types, "[{\"id\":\"1\",\"name\":\"x\"}]")
                .replace("\"pkNames\":[\"id\"]", "\"pkNames\":null")).schema();

        assertThat(byId.primaryKey()).containsExactly("id");
        assertThat(byName.primaryKey()).containsExactly("name");
        assertThat(none.primaryKey()).isEmpty();
    }

    @Test
    void manyShapesStayCorrectPastTheCacheBound() {
        for (int i = 0; i < FlatMessageReader.MAX_SHAPES + 10; i++) {
            TableSchema schema = read(message("t" + i, "{\"id\":\"bigint\",\"c" + i + "\":\"int\"}",
                    "[{\"id\":\"1\",\"c" + i + "\":\"2\"}]")).schema();
            assertThat(schema.table()).isEqualTo("t" + i);
            assertThat(schema.column(1).name()).isEqualTo("c" + i);
        }
    }

    @Test
    void stringsKeepEscapesAndNonAsciiText() {
        FlatRecord record = read(message("t", "{\"id\":\"bigint\",\"s\":\"varchar(20)\"}",
                "[{\"id\":\"1\",\"s\":\"q\\\"b\\\\s\\/ \\b\\f\\n\\r\\t \\u00e9\\u65e5 \\ud83d\\ude00 é日😀\"}]"));

        assertThat(record.data().get(0).values()[1]).isEqualTo("q\"b\\s/ \b\f\n\r\t é日 😀 é日😀");
    }

    @Test
    void nonStringScalarsKeepTheirText() {
        FlatRecord record = read(message("t", "{\"id\":\"bigint\",\"a\":\"double\",\"b\":\"bit(1)\"}",
                "[{\"id\":5,\"a\":-1.5e3,\"b\":true}]"));

        assertThat(record.data().get(0).values()).containsExactly("5", "-1.5e3", "true");
    }

    @Test
    void unknownFieldsAreSkipped() {
        FlatRecord record = read("{\"future\":{\"a\":[1,{\"b\":\"}]\"}],\"c\":null},\"data\":[{\"id\":\"1\"}],"
                + "\"database\":\"d\",\"mysqlType\":{\"id\":\"int\"},\"pkNames\":[],\"table\":\"t\",\"type\":\"INSERT\","
                + "\"list\":[true,false,null,-0.5,\"x\"]}");

        assertThat(record.data().get(0).values()).containsExactly("1");
        assertThat(record.schema().column(0).type()).isEqualTo(ColumnType.INT);
    }

    @Test
    void namesWrittenWithEscapesAreTheSameNames() {
        FlatRecord record = read("{\"d\\u0061ta\":[{\"\\u0069d\":\"1\",\"n\":\"x\"}],\"database\":\"d\","
                + "\"mysqlType\":{\"id\":\"int\",\"\\u006e\":\"varchar(3)\"},\"table\":\"t\",\"typ\\u0065\":\"INSERT\"}");

        assertThat(record.type()).isEqualTo("INSERT");
        assertThat(record.data().get(0).names()).containsExactly("id", "n");
        assertThat(record.schema().columns()).extracting(c -> c.name()).containsExactly("id", "n");
    }

    @Test
    void whitespaceBetweenTokensIsAllowed() {
        FlatRecord record = read(" {\n \"data\" : [ { \"id\" : \"1\" } ] ,\t\"database\":\"d\", \"mysqlType\" : "
                + "{ \"id\" : \"int\" } , \"table\" : \"t\" , \"type\" : \"INSERT\" , \"isDdl\" : false } ");

        assertThat(record.data().get(0).values()).containsExactly("1");
        assertThat(record.table()).isEqualTo("t");
    }

    @Test
    void aDdlMessageHasItsStatementAndNoSchema() {
        FlatRecord record = read("{\"data\":null,\"database\":\"shop\",\"es\":1,\"gtid\":\"\",\"id\":1,\"isDdl\":true,"
                + "\"mysqlType\":null,\"old\":null,\"pkNames\":null,\"sql\":\"ALTER TABLE t ADD c INT\","
                + "\"sqlType\":null,\"table\":\"t\",\"ts\":2,\"type\":\"ALTER\"}");

        assertThat(record.isDdl()).isTrue();
        assertThat(record.sql()).isEqualTo("ALTER TABLE t ADD c INT");
        assertThat(record.type()).isEqualTo("ALTER");
        assertThat(record.schema()).isNull();
        assertThat(record.data()).isNull();
    }

    @Test
    void updateImagesOfOldHoldTheChangedColumnsOnly() {
        FlatRecord record = read(message("t", "{\"id\":\"int\",\"a\":\"int\",\"b\":\"int\"}",
                "[{\"id\":\"1\",\"a\":\"2\",\"b\":\"3\"}]").replace("\"old\":null", "\"old\":[{\"b\":\"0\"}]")
                .replace("INSERT", "UPDATE"));

        assertThat(record.old()).hasSize(1);
        assertThat(record.old().get(0).names()).containsExactly("b");
        assertThat(record.old().get(0).values()).containsExactly("0");
    }

    @Test
    void numbersMayBeWrittenAsText() {
        assertThat(read("{\"es\":\"1714567890000\",\"type\":\"QUERY\"}").es()).isEqualTo(1714567890000L);
        assertThat(read("{\"es\":null}").es()).isZero();
    }

    @Test
    void badInputIsAnErrorNamingWhatWasWrong() {
        assertThatThrownBy(() -> read("[1,2]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object").hasMessageContaining("starts with [1,2]");
        assertThatThrownBy(() -> read("\u0000\u0001binary")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\\x00\\x01binary");
        assertThatThrownBy(() -> read("{\"data\":[{\"id\":\"1\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> read("{\"data\":[{\"id\":\"1\" \"v\":\"2\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> read("{\"data\":[{\"id\":{\"x\":1}}]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'data[0].id'").hasMessageContaining("expected a string");
        assertThatThrownBy(() -> read("{\"data\":[\"x\"]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'data[0]'").hasMessageContaining("expected an object");
        assertThatThrownBy(() -> read("{\"mysqlType\":[]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mysqlType'").hasMessageContaining("expected an object");
        assertThatThrownBy(() -> read("{\"es\":\"soon\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'es' is 'soon', expected a number");
        assertThatThrownBy(() -> read("{\"mysqlType\":{\"id\":\"int\"},\"mysqlType\":{\"id\":\"bigint\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'mysqlType' appears twice");
        assertThatThrownBy(() -> read("{\"type\":\"INSERT\"} trailing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> read("{\"type\":\"INSERT\",")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON (a field name expected at the end of the message)");
    }

    @Test
    void invalidUtf8IsAnError() {
        byte[] json = "{\"table\":\"t?\"}".getBytes(StandardCharsets.UTF_8);
        json[11] = (byte) 0xC3; // a lead byte followed by '"'
        assertThatThrownBy(() -> reader.read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid UTF-8 (byte 11 of 14)");
    }

    @Test
    void malformedUtf8InsideAValueIsAnErrorNotAnotherCharacter() {
        // each of these the JSON library alone would read as some character (or take the next one with it)
        int[][] sequences = {{0xE6, 0x97}, {0xC3, 0x41}, {0xC0, 0x80}, {0xE0, 0x80, 0x80}, {0xED, 0xA0, 0x80}};
        for (int[] sequence : sequences) {
            byte[] prefix = "{\"data\":[{\"v\":\"x".getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "y\"}]}".getBytes(StandardCharsets.UTF_8);
            byte[] json = new byte[prefix.length + sequence.length + suffix.length];
            System.arraycopy(prefix, 0, json, 0, prefix.length);
            for (int i = 0; i < sequence.length; i++) {
                json[prefix.length + i] = (byte) sequence[i];
            }
            System.arraycopy(suffix, 0, json, prefix.length + sequence.length, suffix.length);
            assertThatThrownBy(() -> reader.read(json)).as("bytes %s", java.util.Arrays.toString(sequence))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid UTF-8 (byte " + prefix.length + " of ");
        }
    }

    @Test
    void separatorsAreCheckedWhereTheLibraryWouldLetThemGo() {
        String[] broken = {
                "{\"type\":\"INSERT\" \"es\":1}",                 // no comma after a string
                "{\"gtid\":null \"es\":1}",                        // no comma after null
                "{\"es\":1 \"type\":\"INSERT\"}",                 // no comma after a number
                "{\"type\":\"INSERT\",}",                          // a comma before '}'
                "{,\"type\":\"INSERT\"}",                          // a comma before the first field
                "{\"pkNames\":[\"id\",]}",                          // a comma before ']'
                "{\"pkNames\":[\"id\" \"k\"]}",                    // no comma between elements
                "{\"data\":[{\"id\":\"1\"} {\"id\":\"2\"}]}",      // no comma between rows
                "{\"data\":[{\"id\":\"1\",}]}",                    // a comma before a row's '}'
                "{\"type\":\"INSERT\"},",                          // a comma after the object
                "{type:\"INSERT\"}",                               // a bare name
                "{\"mysqlType\":{\"id\":\"int\" \"v\":\"int\"}}",   // no comma inside mysqlType
        };
        for (String json : broken) {
            assertThatThrownBy(() -> read(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("starts with " + json.substring(0, Math.min(json.length(), 20)));
        }
        assertThatThrownBy(() -> read("{\"type\":'INSERT'}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'type' is a single-quoted string (JSON takes double quotes)");
        assertThat(read("{ \"type\" : \"INSERT\" , \"pkNames\" : [ \"id\" , \"k\" ] , \"gtid\" : null }")
                .type()).as("whitespace around separators").isEqualTo("INSERT");
    }

    @Test
    void unescapedControlCharactersAreTakenAsWrittenAndCommentsRefusedButWhereTheLibrarySkipsThem() {
        FlatRecord record = read("{\"type\":\"INSERT\",\"data\":[{\"id\":\"1\",\"v\":\"x\ty\n\"}]}");
        assertThat(record.data().get(0).values()).containsExactly("1", "x\ty\n");
        assertThat(read("{\"sqlType\":{\"id\":[/* c */-5]},\"type\":\"INSERT\"}").type())
                .as("a comment inside a skipped field").isEqualTo("INSERT");
        assertThat(read("{/* c */\"type\":\"INSERT\"}").type()).as("a comment at the start of an object")
                .isEqualTo("INSERT");
        assertThat(read("{\"data\":[{/* c */\"id\":\"7\"}]}").data().get(0).values()).containsExactly("7");
        for (String json : List.of("{\"type\":/* c */\"INSERT\"}", "{\"type\":\"INSERT\" /* c */}",
                "{\"type\":\"INSERT\",/* c */\"es\":1}", "{\"type\":\"INSERT\" // c\n}")) {
            assertThatThrownBy(() -> read(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching("(?s)(not valid JSON .*|field 'type' is '/', expected a string)");
        }
    }

    @Test
    void theLibrarysErrorIsShortenedToItsReason() {
        String json = "{\"sql\":\"" + "x".repeat(5_000) + "\\q\"}"; // an unknown escape after a long text
        assertThatThrownBy(() -> read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not valid JSON (")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void anyTextComesBackAsWritten() {
        Random random = new Random(20);
        for (int message = 0; message < 300; message++) {
            String name = randomText(random, 1 + random.nextInt(6));
            String value = randomText(random, random.nextInt(40));
            FlatRecord record = read(message("t", "{" + quoted(random, "id") + ":\"bigint\"," + quoted(random, name)
                    + ":\"varchar(64)\"}", "[{\"id\":\"1\"," + quoted(random, name) + ":" + quoted(random, value)
                    + "}]"));

            assertThat(record.data().get(0).values()[1]).as("message %d", message).isEqualTo(value);
            assertThat(record.data().get(0).names()[1]).isEqualTo(name);
            assertThat(record.schema().column(1).name()).isEqualTo(name);
        }
    }

    /** Letters, digits, quotes, backslashes, control characters, accented, CJK and supplementary characters. */
    private static String randomText(Random random, int codePoints) {
        int[] pool = {'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', 0x01, 0x1f, 0x7f, 0xe9, 0x65e5, 0xfffd,
                0x1f600, 0x10ffff};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(pool[random.nextInt(pool.length)]);
        }
        return text.toString();
    }

    /** A JSON string of {@code text}, each character written raw where allowed or escaped, at random. */
    private static String quoted(Random random, String text) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean mustEscape = c == '"' || c == '\\' || c < 0x20;
            if (Character.isHighSurrogate(c)) { // a pair is written raw (as UTF-8) or as two escapes
                char low = text.charAt(++i);
                json.append(random.nextBoolean() ? "" + c + low : String.format("\\u%04x\\u%04x", (int) c, (int) low));
            } else if (!mustEscape && random.nextBoolean()) {
                json.append(c);
            } else if (c == '"' || c == '\\' || (c == '/' && random.nextBoolean())) {
                json.append('\\').append(c);
            } else if (c == '\n' && random.nextBoolean()) {
                json.append("\\n");
            } else {
                json.append(String.format("\\u%04x", (int) c));
            }
        }
        return json.append('"').toString();
    }

    @Test
    void theSameReaderReadsMessagesOneAfterAnother() {
        List<String> names = List.of("x", "y", "z");
        for (String name : names) {
            FlatRecord record = read(message("t", "{\"id\":\"bigint\",\"name\":\"varchar(20)\"}",
                    "[{\"id\":\"1\",\"name\":\"" + name + "\"}]"));
            assertThat(record.data().get(0).values()[1]).isEqualTo(name);
        }
    }

    @Test
    void columnsCanalDamagesAreNamedInTheLogOncePerShape(CapturedOutput output) {
        String json = message("hosts", "{\"id\":\"bigint\",\"u\":\"uuid\",\"ip\":\"inet6\"}",
                "[{\"id\":\"1\",\"u\":\"x\",\"ip\":\"y\"}]");
        read(json);
        read(json);
        assertThat(output).containsOnlyOnce("Source 'test': table shop.hosts has MariaDB binary-typed columns (u uuid, ip inet6)");
    }

    @Test
    void readersOfOneSourceSharingWhatWasWarnedNameADamagedShapeOnce(CapturedOutput output) {
        java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        String json = message("hosts2", "{\"id\":\"bigint\",\"u\":\"uuid\"}", "[{\"id\":\"1\",\"u\":\"x\"}]");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        new FlatMessageReader("test", warned).read(bytes); // as two decoding threads of one source
        new FlatMessageReader("test", warned).read(bytes);
        assertThat(output).containsOnlyOnce("table shop.hosts2 has MariaDB binary-typed columns (u uuid)");
        new FlatMessageReader("test").read(bytes); // a reader of its own (another source) names it again
        assertThat(output.toString().split("table shop.hosts2 has MariaDB", -1)).hasSize(3);
    }
}
