package dev.canalboot.canal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CanalJsonTextTest {

    @Test
    void numbersWithAnExponentBecomeMySqlDoubles() {
        assertThat(CanalJsonText.asMySqlPrintsIt("1.0E-7")).isEqualTo("0.0000001");
        assertThat(CanalJsonText.asMySqlPrintsIt("{\"dbl\": 1.0E7}")).isEqualTo("{\"dbl\": 10000000.0}");
        assertThat(CanalJsonText.asMySqlPrintsIt("[1.0E15, -1.0E-300, 7.8475983056526093E17]"))
                .isEqualTo("[1e15, -1e-300, 7.847598305652609e17]");
    }

    @Test
    void stringsIntegersAndPlainNumbersStayAsTheyAre() {
        String json = "{\"s\": \"E 1.0E7 \\\" 2.0E3\", \"n\": 12, \"d\": 1.50, \"x\": -0.001, \"E\": true}";
        assertThat(CanalJsonText.asMySqlPrintsIt(json)).isSameAs(json);
        assertThat(CanalJsonText.asMySqlPrintsIt("{\"s\": \"1.0E7\", \"d\": 1.0E7}"))
                .isEqualTo("{\"s\": \"1.0E7\", \"d\": 10000000.0}");
    }

    @Test
    void textWithoutAnExponentIsReturnedUnread() {
        String json = "{\"a\": [1, 2.5, \"x\"]}";
        assertThat(CanalJsonText.asMySqlPrintsIt(json)).isSameAs(json);
    }

    @Test
    void mySqlFormattedDoublesStayTheSame() {
        // The relay writes our own MySQL-formatted text; read back by the Kafka source it must not change.
        String json = "{\"s\": \"E\", \"a\": 1e15, \"b\": 1.5e-300, \"c\": 0.0000001}";
        assertThat(CanalJsonText.asMySqlPrintsIt(json)).isEqualTo(json);
    }
}
