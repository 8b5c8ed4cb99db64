package dev.canalboot.internal.mysql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnumSetElementsTest {

    @Test
    void elementsInDeclarationOrder() {
        assertThat(EnumSetElements.parse("enum('b','a','c')")).containsExactly("b", "a", "c");
        assertThat(EnumSetElements.parse("set('read','write')")).containsExactly("read", "write");
    }

    @Test
    void doubledQuoteIsOneQuote() {
        assertThat(EnumSetElements.parse("enum('it''s','''','''x''')")).containsExactly("it's", "'", "'x'");
    }

    @Test
    void commasParenthesesAndBlanksInsideQuotesArePartOfTheElement() {
        assertThat(EnumSetElements.parse("enum('x,y','a)b','(',' padded ','')"))
                .containsExactly("x,y", "a)b", "(", " padded ", "");
    }

    @Test
    void backslashEscapesFollowMySqlStringLiterals() {
        // As the server writes them: \\ for a backslash, \0 \n \r for NUL, newline, carriage return.
        assertThat(EnumSetElements.parse("enum('a\\\\b','\\0','l1\\nl2','\\r')"))
                .containsExactly("a\\b", "\0", "l1\nl2", "\r");
        // The rest of MySQL's escapes, though servers do not write them here.
        assertThat(EnumSetElements.parse("enum('\\'','\\\"','\\b\\t\\Z','\\%\\_','\\q')"))
                .containsExactly("'", "\"", "\b\t\u001a", "\\%\\_", "q");
    }

    @Test
    void blanksBetweenElementsAndTextAfterTheListAreAllowed() {
        assertThat(EnumSetElements.parse("ENUM ( 'a' , 'b' ) CHARACTER SET utf8mb4")).containsExactly("a", "b");
    }

    @Test
    void emptyList() {
        assertThat(EnumSetElements.parse("enum()")).isEmpty();
        assertThat(EnumSetElements.parse("set( )")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "enum",                // no list
            "enum('a','b)",        // quote left open
            "enum('a\\')",         // the escaped quote leaves it open
            "enum('a\\",           // escape at the end
            "enum(a,'b')",         // unquoted element
            "enum('a',)",          // nothing after the comma
            "enum('a' 'b')",       // no comma
            "enum('a'",            // no closing parenthesis
    })
    void malformedTextIsAnErrorNamingIt(String text) {
        assertThatThrownBy(() -> EnumSetElements.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void missingTextIsAnError() {
        assertThatThrownBy(() -> EnumSetElements.parse(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    }
}
