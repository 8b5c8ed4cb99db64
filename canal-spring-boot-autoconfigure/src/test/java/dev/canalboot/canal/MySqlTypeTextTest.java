package dev.canalboot.canal;

import dev.canalboot.model.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MySqlTypeTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tinyint(4)|TINYINT|false|0|0",
            "tinyint(3) unsigned|TINYINT|true|0|0",
            "tinyint(1)|TINYINT|false|0|0",
            "smallint unsigned zerofill|SMALLINT|true|0|0",
            "mediumint(8)|MEDIUMINT|false|0|0",
            "int(10) unsigned|INT|true|0|0",
            "INT|INT|false|0|0",
            "bigint(20) unsigned|BIGINT|true|0|0",
            "decimal(10,2)|DECIMAL|false|0|2",
            "decimal(65,30) unsigned|DECIMAL|true|0|30",
            "decimal(10)|DECIMAL|false|0|0",
            "float|FLOAT|false|0|0",
            "float(7,3)|FLOAT|false|0|0",
            "double|DOUBLE|false|0|0",
            "bit(1)|BIT|false|1|0",
            "bit(64)|BIT|false|64|0",
            "year(4)|YEAR|false|0|0",
            "date|DATE|false|0|0",
            "time(6)|TIME|false|0|6",
            "datetime|DATETIME|false|0|0",
            "datetime(3)|DATETIME|false|0|3",
            "timestamp(6)|TIMESTAMP|false|0|6",
            "char(10)|CHAR|false|10|0",
            "varchar(20)|VARCHAR|false|20|0",
            "longtext|TEXT|false|0|0",
            "binary(16)|BINARY|false|16|0",
            "varbinary(255)|VARBINARY|false|255|0",
            "mediumblob|BLOB|false|0|0",
            "json|JSON|false|0|0",
            "point|GEOMETRY|false|0|0",
            "geometry|GEOMETRY|false|0|0",
            "uuid|BINARY|false|16|0",
    })
    void parsesTypeText(String text, ColumnType type, boolean unsigned, int length, int scale) {
        MySqlTypeText parsed = MySqlTypeText.parse(text);
        assertThat(parsed.type()).isEqualTo(type);
        assertThat(parsed.unsigned()).isEqualTo(unsigned);
        assertThat(parsed.length()).isEqualTo(length);
        assertThat(parsed.scale()).isEqualTo(scale);
        assertThat(parsed.elements()).isEmpty();
    }

    @Test
    void parsesEnumAndSetElementsWithQuotingAndCommas() {
        assertThat(MySqlTypeText.parse("enum('a','b c','it''s','x,y')"))
                .isEqualTo(new MySqlTypeText(ColumnType.ENUM, false, 0, 0, List.of("a", "b c", "it's", "x,y")));
        assertThat(MySqlTypeText.parse("set('read','write','a)b')").elements())
                .containsExactly("read", "write", "a)b");
        assertThat(MySqlTypeText.parse("enum('')").elements()).containsExactly("");
        // as the server escapes a backslash and a newline in an element
        assertThat(MySqlTypeText.parse("enum('a\\\\b','l1\\nl2')").elements()).containsExactly("a\\b", "l1\nl2");
    }

    @Test
    void malformedTypeTextIsAnErrorNamingTheText() {
        assertThatThrownBy(() -> MySqlTypeText.parse("decimal(10,2"))
                .hasMessageContaining("decimal(10,2").hasMessageContaining("closing parenthesis");
        assertThatThrownBy(() -> MySqlTypeText.parse("varchar(x)"))
                .hasMessageContaining("varchar(x)").hasMessageContaining("'x'");
        assertThatThrownBy(() -> MySqlTypeText.parse("enum('a','b)"))
                .hasMessageContaining("enum('a','b)");
    }

    @Test
    void missingTypeTextIsUnknown() {
        assertThat(MySqlTypeText.parse("").type()).isEqualTo(ColumnType.UNKNOWN);
        assertThat(MySqlTypeText.parse(null).type()).isEqualTo(ColumnType.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "int unsigned", "tinyint", "bigint unsigned", "decimal(65,2)", "decimal(65,0)", "float", "double",
            "bit(1)", "bit(9)", "year", "date", "time(3)", "datetime", "datetime(6)", "timestamp(3)", "char(5)",
            "varchar(20)", "text", "binary(4)", "varbinary(8)", "blob", "enum('x','it''s')",
            "set('a','b')", "json", "geometry"})
    void writesTheTextItReads(String text) {
        MySqlTypeText type = MySqlTypeText.parse(text);
        assertThat(type.text()).isEqualTo(text);
        assertThat(MySqlTypeText.parse(type.text())).isEqualTo(type);
    }

    @Test
    void onlyNumbersAreWrittenUnsigned() {
        // The binlog's table map gives YEAR a signedness bit like the integers; MySQL's type text has none.
        assertThat(new MySqlTypeText(ColumnType.YEAR, true, 0, 0, List.of()).text()).isEqualTo("year");
    }

    @Test
    void mariaDbUuidAndInetAreTheBinaryTheBinlogCarries() {
        assertThat(MySqlTypeText.parse("uuid")).isEqualTo(new MySqlTypeText(ColumnType.BINARY, false, 16, 0, List.of()));
        assertThat(MySqlTypeText.parse("INET6")).isEqualTo(new MySqlTypeText(ColumnType.BINARY, false, 16, 0, List.of()));
        assertThat(MySqlTypeText.parse("inet4")).isEqualTo(new MySqlTypeText(ColumnType.BINARY, false, 4, 0, List.of()));
        assertThat(MySqlTypeText.isMariaDbBinaryType("binary")).isFalse();
    }
}
