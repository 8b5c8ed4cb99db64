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
    void setsJavaHasDecodeAsTheServerMapsThemUnderJavasName() {
        // The server's mapping where Java's namesake differs (values read off MySQL 8.0.31 and MariaDB 11.4.5)
        Charset latin1 = MysqlCharsets.forName("latin1");
        assertThat(latin1.name()).as("Column.charset() names it as before").isEqualTo("windows-1252");
        assertThat(decode(latin1, 0x81, 0x80, 0x9d)).isEqualTo("\u0081€\u009d");
        assertThat(new String(new byte[]{(byte) 0x81}, Charset.forName("windows-1252"))).isEqualTo("\ufffd");
        assertThat(decode(MysqlCharsets.forName("cp866"), 0xfc)).isEqualTo("\u207f"); // Java: №
        assertThat(decode(MysqlCharsets.forName("cp1256"), 0x8a)).isEqualTo("?"); // Java: ٹ
        assertThat(decode(MysqlCharsets.forName("koi8u"), 0x95)).isEqualTo("\u2022");
        assertThat(decode(MysqlCharsets.forName("ascii"), 'a', 0xe9)).isEqualTo("a?");
        assertThat(MysqlCharsets.forName("koi8u").name()).isEqualTo("KOI8-U");
        assertThat(MysqlCharsets.forName("dec8").name()).isEqualTo("x-mysql-dec8");
        assertThat(MysqlCharsets.forName("utf8mb4")).isEqualTo(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theDecodingWithoutADecoderEqualsTheCharsetsDecoder() {
        byte[] every = new byte[256 + 6];
        for (int b = 0; b < 256; b++) {
            every[b + 3] = (byte) b;
        }
        for (String name : new String[]{"latin1", "swe7", "cp866", "ascii", "tis620"}) {
            Charset charset = MysqlCharsets.forName(name);
            assertThat(MysqlCharsets.decode(every, 3, 256, charset)).as(name).isEqualTo(new String(every, 3, 256, charset));
            assertThat(MysqlCharsets.decode(every, 3 + 'a', 26, charset)).as("ASCII letters in %s", name)
                    .isEqualTo(new String(every, 3 + 'a', 26, charset));
        }
        assertThat(MysqlCharsets.decode(every, 3 + 'a', 3, MysqlCharsets.forName("swe7"))).isEqualTo("abc");
        assertThat(MysqlCharsets.decode(every, 3 + 0x40, 1, MysqlCharsets.forName("swe7"))).isEqualTo("É");
        assertThat(MysqlCharsets.decode("zß".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 3,
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("zß");
    }

    private static String decode(Charset charset, int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return MysqlCharsets.decode(data, 0, data.length, charset);
    }

    @Test
    void aTableWithoutItsBytesIsRefused() {
        assertThatThrownBy(() -> SingleByteCharset.parse("x\n  0000 0001\n")).hasMessageContaining("x has 2 characters, not 256");
        Map<String, char[]> one = SingleByteCharset.parse("# comment\nx\n" + "  0041\n".repeat(256));
        assertThat(one.get("x")).hasSize(256).containsOnly('A');
    }
}
