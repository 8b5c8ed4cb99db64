package dev.canalboot.internal.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One of MySQL's 8-bit character sets, from the table each byte maps by ({@code single-byte-charsets.txt}, read off
 * the servers). Java lacks six of them (dec8, hp8, swe7, armscii8, keybcs2, geostd8); its namesakes of the others
 * differ from the server in some bytes (latin1's 0x81 is U+0081 on the server, U+FFFD in Java's windows-1252; cp866's
 * 0xFC is U+207F there, U+2116 in Java), and a value must read as {@code SELECT} returns it. A set Java has keeps
 * Java's name, so {@code Column.charset()} names it as before.
 */
final class SingleByteCharset extends Charset {

    private static final String TABLES = "single-byte-charsets.txt";
    /** MySQL name → the 256 characters of its bytes; read once, on the first look-up of such a set. */
    private static volatile Map<String, char[]> tables;

    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final char[] toUnicode;
    /** Whether bytes 0x00..0x7F are ASCII (all sets but swe7). */
    private final boolean asciiAsIs;
    private final Map<Character, Byte> fromUnicode = new HashMap<>();

    private SingleByteCharset(String name, char[] toUnicode) {
        super(name, null);
        this.toUnicode = toUnicode;
        boolean ascii = true;
        for (int b = 0; b < 128; b++) {
            ascii &= toUnicode[b] == b;
        }
        this.asciiAsIs = ascii;
        for (int b = 255; b >= 0; b--) {
            fromUnicode.put(toUnicode[b], (byte) b); // the lowest byte where several map to one character ('?')
        }
    }

    /**
     * The charset of a lower-case MySQL name, named {@code javaName} (Java's namesake) or {@code x-mysql-<name>}
     * when null; null when the name is not an 8-bit set.
     */
    static Charset ofMySqlName(String mysqlName, String javaName) {
        char[] table = tables().get(mysqlName);
        return table == null ? null
                : new SingleByteCharset(javaName != null ? javaName : "x-mysql-" + mysqlName, table);
    }

    /** {@code length} bytes from {@code offset} as text: without a decoder, ASCII as Latin-1 (compact strings). */
    String decode(byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        if (asciiAsIs) {
            while (i + 8 <= end && ((long) EIGHT_BYTES.get(data, i) & 0x8080808080808080L) == 0) {
                i += 8; // eight ASCII bytes at once: most text of these sets is ASCII
            }
            while (i < end && data[i] >= 0) {
                i++;
            }
        } else {
            while (i < end && data[i] >= 0 && toUnicode[data[i]] == data[i]) {
                i++;
            }
        }
        if (i == end) {
            return new String(data, offset, length, StandardCharsets.ISO_8859_1);
        }
        char[] chars = new char[length];
        for (int k = 0; k < length; k++) {
            chars[k] = toUnicode[data[offset + k] & 0xff];
        }
        return new String(chars);
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
