package dev.canalboot.internal.mysql;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleByteCharsetTest {

    @Test
    void theSixSetsJavaLacksDecodeEveryByte() {
        for (String name : new String[]{"dec8", "hp8", "swe7", "armscii8", "keybcs2", "geostd8"}) {
            Charset charset = MysqlCharsets.forName(name);
            assertThat(charset).as(name).isNotNull();
            byte[] every = new byte[256];
            for (int b = 0; b < 256; b++) {
                every[b] = (byte) b;
            }
            assertThat(new String(every, charset)).as(name).hasSize(256);
        }
    }

    @Test
    void bytesMapAsMySqlMapsThem() {
        // swe7 is 7-bit with Swedish letters in place of some ASCII; keybcs2 and armscii8 fill the upper half
        assertThat(new String(new byte[]{0x40, 0x5b, 0x7d}, MysqlCharsets.forName("swe7"))).isEqualTo("ÉÄå");
        assertThat(new String(new byte[]{(byte) 0x80}, MysqlCharsets.forName("swe7"))).isEqualTo("?");
        assertThat(new String(new byte[]{'a', (byte) 0xb2}, MysqlCharsets.forName("armscii8"))).isEqualTo("aԱ");
        assertThat(new String(new byte[]{(byte) 0x80}, MysqlCharsets.forName("keybcs2"))).isEqualTo("Č");
    }

    @Test
    void encodingIsTheReverseWithQuestionMarksForWhatASetLacks() {
        Charset armscii8 = MysqlCharsets.forName("armscii8");
        assertThat("aԱ".getBytes(armscii8)).containsExactly('a', 0xb2);
        assertThat("中".getBytes(armscii8)).containsExactly('?');
    }

    @Test
    void aTableWithoutItsBytesIsRefused() {
        assertThatThrownBy(() -> SingleByteCharset.parse("x\n  0000 0001\n")).hasMessageContaining("x has 2 characters, not 256");
        Map<String, char[]> one = SingleByteCharset.parse("# comment\nx\n" + "  0041\n".repeat(256));
        assertThat(one.get("x")).hasSize(256).containsOnly('A');
    }
}
