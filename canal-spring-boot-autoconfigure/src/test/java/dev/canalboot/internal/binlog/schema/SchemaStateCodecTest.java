package dev.canalboot.internal.binlog.schema;

import dev.canalboot.model.ColumnDefinition;
import dev.canalboot.model.TableDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint form of the schema history: what version 2 leaves out, and reading versions 1 and 2. */
class SchemaStateCodecTest {

    private static SchemaState state(boolean seeded, TableDefinition... tables) {
        SchemaState.Draft d = SchemaState.EMPTY.draft();
        d.serverCharset = "utf8mb4";
        d.schemaCharsets.put("db", "latin1");
        for (TableDefinition t : tables) {
            d.put(t);
        }
        d.seeded = seeded;
        return d.done();
    }

    @Test
    void columnsKeepOnlyWhatCannotBeDerived() {
        TableDefinition t = new TableDefinition("db", "t", List.of(
                new ColumnDefinition("id", "int", "int", null, true),
                new ColumnDefinition("s", "varchar", "varchar(5)", "utf8mb4", false),
                new ColumnDefinition("l", "varchar", "varchar(5)", "latin1", false),
                new ColumnDefinition("n", "varchar", "varchar(5)", null, false),
                new ColumnDefinition("b", "int", "int", "binary", false),
                new ColumnDefinition("d", "double", "double precision", null, false),
                new ColumnDefinition("j", "longtext", "json", "utf8mb4", false)), "utf8mb4");
        String text = SchemaStateCodec.encode(state(true, t));
        assertThat(text).startsWith("{\"v\":2,\"complete\":true,\"server\":\"utf8mb4\",\"schemas\":{\"db\":\"latin1\"}")
                .contains("[\"db\",\"t\",\"utf8mb4\",[")
                .contains("[\"id\",\"int\",null,true]")
                .as("the table's charset is a text column's default").contains("[\"s\",\"varchar(5)\"]")
                .contains("[\"l\",\"varchar(5)\",\"latin1\"]")
                .as("a text column without a charset").contains("[\"n\",\"varchar(5)\",\"\"]")
                .as("a charset on a non-text column").contains("[\"b\",\"int\",\"binary\"]")
                .as("a data type that is the column type's first word").contains("[\"d\",\"double precision\"]")
                .as("one that is not").contains("[\"j\",\"json\",null,false,\"longtext\"]");
        SchemaState back = SchemaStateCodec.decode(text);
        assertThat(back.tables).isEqualTo(Map.of(new TableKey("db", "t"), t));
        assertThat(back.seeded).isTrue();
        assertThat(back.serverCharset).isEqualTo("utf8mb4");
        assertThat(back.schemaCharsets).isEqualTo(Map.of("db", "latin1"));
    }

    @Test
    void tablesAndUnknownTablesAreWrittenInNameOrder() {
        SchemaState.Draft d = SchemaState.EMPTY.draft();
        d.put(new TableDefinition("b", "x", List.of(new ColumnDefinition("c", "int", "int", null, false)), null));
        d.markUnknown(new TableKey("a", "z"), "unreadable DDL");
        d.put(new TableDefinition("a", "y", List.of(new ColumnDefinition("c", "int", "int", null, false)), null));
        String text = SchemaStateCodec.encode(d.done());
        assertThat(text).contains("\"tables\":[[\"a\",\"y\",\"\",[[\"c\",\"int\"]]],[\"b\",\"x\",\"\",[[\"c\",\"int\"]]]]")
                .contains("\"unknown\":[[\"a\",\"z\",\"unreadable DDL\"]]")
                .contains("\"complete\":false");
        SchemaState back = SchemaStateCodec.decode(text);
        assertThat(back.unknown).isEqualTo(Map.of(new TableKey("a", "z"), "unreadable DDL"));
        assertThat(back.tables.get(new TableKey("a", "y")).charset()).isNull();
        assertThat(back.seeded).isFalse();
    }

    @Test
    void versionOneWithFiveElementsPerColumnIsStillRead() {
        String v1 = "{\"v\":1,\"server\":\"latin1\",\"schemas\":{\"db\":\"utf8mb4\"},"
                + "\"tables\":[[\"db\",\"t\",\"utf8mb4\",[[\"id\",\"bigint\",\"bigint unsigned\",\"\",true],"
                + "[\"s\",\"varchar\",\"varchar(3)\",\"utf8mb4\",false]]]],\"unknown\":[]}";
        SchemaState state = SchemaStateCodec.decode(v1);
        assertThat(state.tables.get(new TableKey("db", "t")).columns()).containsExactly(
                new ColumnDefinition("id", "bigint", "bigint unsigned", null, true),
                new ColumnDefinition("s", "varchar", "varchar(3)", "utf8mb4", false));
        assertThat(state.seeded).as("version 1 has no completeness flag").isFalse();
        assertThat(state.serverCharset).isEqualTo("latin1");
    }

    @Test
    void dataTypeIsTheColumnTypeUpToItsFirstParenthesisOrSpace() {
        assertThat(SchemaStateCodec.derivedDataType("varchar(20)")).isEqualTo("varchar");
        assertThat(SchemaStateCodec.derivedDataType("int unsigned")).isEqualTo("int");
        assertThat(SchemaStateCodec.derivedDataType("enum('a b','c')")).isEqualTo("enum");
        assertThat(SchemaStateCodec.derivedDataType("json")).isEqualTo("json");
    }

    @Test
    void textThatIsNotTheFormSaysSo() {
        assertThatThrownBy(() -> SchemaStateCodec.decode("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("schema history is not JSON: ");
        for (String text : new String[] {"[]", "{}", "{\"v\":3}", "{\"v\":0}", "{\"v\":\"2\"}"}) {
            assertThatThrownBy(() -> SchemaStateCodec.decode(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("schema history is not version 1 or 2 of its format");
        }
    }
}
