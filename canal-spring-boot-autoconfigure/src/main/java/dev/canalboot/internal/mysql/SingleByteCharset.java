package dev.canalboot.internal.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One of MySQL's 8-bit character sets that Java has no charset for (dec8, hp8, swe7, armscii8, keybcs2, geostd8),
 * from the table each byte maps by ({@code single-byte-charsets.txt}, read off the servers). Without it a table with
 * such a column anywhere on the server would stop the binlog source at its table map.
 */
final class SingleByteCharset extends Charset {

    private static final String TABLES = "single-byte-charsets.txt";
    /** MySQL name → the 256 characters of its bytes; read once, on the first look-up of such a set. */
    private static volatile Map<String, char[]> tables;

    private final char[] toUnicode;
    private final Map<Character, Byte> fromUnicode = new HashMap<>();

    private SingleByteCharset(String mysqlName, char[] toUnicode) {
        super("x-mysql-" + mysqlName, null);
        this.toUnicode = toUnicode;
        for (int b = 255; b >= 0; b--) {
            fromUnicode.put(toUnicode[b], (byte) b); // the lowest byte where several map to one character ('?')
        }
    }

    /** The charset of a lower-case MySQL name, or null when it is not one of these. */
    static Charset ofMySqlName(String mysqlName) {
        char[] table = tables().get(mysqlName);
        return table == null ? null : new SingleByteCharset(mysqlName, table);
    }

    private static Map<String, char[]> tables() {
        Map<String, char[]> read = tables;
        if (read == null) {
            try (InputStream in = SingleByteCharset.class.getResourceAsStream(TABLES)) {
                if (in == null) {
                    throw new IllegalStateException(TABLES + " is missing from the class path");
                }
                read = parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + TABLES, e);
            }
            tables = read;
        }
        return read;
    }

    static Map<String, char[]> parse(String text) {
        Map<String, StringBuilder> read = new HashMap<>();
        StringBuilder table = null;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith(" ")) {
                table = new StringBuilder(256);
                read.put(line.trim(), table);
                continue;
            }
            for (String unit : line.trim().split(" ")) {
                table.append((char) Integer.parseInt(unit, 16));
            }
        }
        Map<String, char[]> parsed = new HashMap<>();
        read.forEach((name, units) -> {
            if (units.length() != 256) {
                throw new IllegalStateException(TABLES + ": " + name + " has " + units.length()
                        + " characters, not 256");
            }
            parsed.put(name, units.toString().toCharArray());
        });
        return parsed;
    }

    @Override
    public boolean contains(Charset cs) {
        return cs == this;
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new CharsetDecoder(this, 1f, 1f) {
            @Override
            protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
                while (in.hasRemaining()) {
                    if (!out.hasRemaining()) {
                        return CoderResult.OVERFLOW;
                    }
                    out.put(toUnicode[in.get() & 0xff]);
                }
                return CoderResult.UNDERFLOW;
            }
        };
    }

    @Override
    public CharsetEncoder newEncoder() {
        return new CharsetEncoder(this, 1f, 1f, new byte[]{'?'}) {
            @Override
            protected CoderResult encodeLoop(CharBuffer in, ByteBuffer out) {
                while (in.hasRemaining()) {
                    Byte b = fromUnicode.get(in.get(in.position()));
                    if (b == null) {
                        return CoderResult.unmappableForLength(1);
                    }
                    if (!out.hasRemaining()) {
                        return CoderResult.OVERFLOW;
                    }
                    in.get();
                    out.put(b);
                }
                return CoderResult.UNDERFLOW;
            }
        };
    }
}
