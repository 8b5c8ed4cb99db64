package dev.canalboot.kafka;

import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A forward-only reader of one JSON text (RFC 8259) in a byte array, for {@link FlatMessageReader}: it walks the
 * bytes in place, gives field names as byte ranges to compare, and makes strings only of the values asked for.
 * Strings are UTF-8 (checked) with JSON's escapes; numbers and literals are checked against the grammar. Values a
 * caller skips are checked too, except the escapes and UTF-8 inside skipped strings.
 * <p>
 * Errors are {@link IllegalArgumentException}s saying what was expected where, with the message's first bytes.
 * Not thread-safe (one message at a time, a reused decoder).
 */
final class JsonScanner {

    static final int STRING = 1;
    static final int NUMBER = 2;
    static final int OBJECT = 3;
    static final int ARRAY = 4;
    static final int TRUE = 5;
    static final int FALSE = 6;
    static final int NULL = 7;

    private static final int MAX_DEPTH = 1000;
    private static final byte QUOTE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte CONTROL = 3;
    private static final byte NOT_ASCII = 4;
    /** Per byte value inside a string: 0 for plain ASCII, else what it is. */
    private static final byte[] STRING_BYTES = new byte[256];

    static {
        for (int b = 0; b < 0x20; b++) {
            STRING_BYTES[b] = CONTROL;
        }
        for (int b = 0x80; b < 0x100; b++) {
            STRING_BYTES[b] = NOT_ASCII;
        }
        STRING_BYTES['"'] = QUOTE;
        STRING_BYTES['\\'] = BACKSLASH;
    }
    private static final byte[] TRUE_BYTES = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE_BYTES = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL_BYTES = {'n', 'u', 'l', 'l'};

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] in = new byte[0];
    private int pos;
    /** The last field name: bytes between its quotes, and whether it holds an escape. */
    private int nameStart;
    private int nameEnd;
    private boolean nameEscaped;
    /** The last scalar read: a string's bytes between its quotes, or a number's or literal's text. */
    private int rawStart;
    private int rawEnd;
    private boolean rawEscaped;
    private boolean rawAscii;
    private boolean rawInteger;

    void reset(byte[] json) {
        in = json;
        pos = 0;
    }

    byte[] bytes() {
        return in;
    }

    /** The kind of the next value ({@link #STRING}, ...), not consumed. */
    int kind() {
        int c = peek();
        return switch (c) {
            case '"' -> STRING;
            case '{' -> OBJECT;
            case '[' -> ARRAY;
            case 't' -> TRUE;
            case 'f' -> FALSE;
            case 'n' -> NULL;
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> NUMBER;
            case -1 -> throw malformed("expected a value, found the end");
            default -> throw malformed("expected a value");
        };
    }

    static String describe(int kind) {
        return switch (kind) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case TRUE -> "true";
            case FALSE -> "false";
            default -> "null";
        };
    }

    /** Consumes the '{' or '[' of the object or array {@link #kind()} saw. */
    void open() {
        pos++;
    }

    /** After {@link #open()} of an object: whether a member follows (else the '}' is consumed). */
    boolean firstMember() {
        if (peek() == '}') {
            pos++;
            return false;
        }
        return true;
    }

    /** After a member's value: whether another follows (its ',' consumed) or the object ended (its '}' consumed). */
    boolean moreMembers() {
        int c = peek();
        pos++;
        if (c == ',') {
            return true;
        }
        if (c == '}') {
            return false;
        }
        pos--;
        throw malformed("expected ',' or '}'");
    }

    boolean firstElement() {
        if (peek() == ']') {
            pos++;
            return false;
        }
        return true;
    }

    boolean moreElements() {
        int c = peek();
        pos++;
        if (c == ',') {
            return true;
        }
        if (c == ']') {
            return false;
        }
        pos--;
        throw malformed("expected ',' or ']'");
    }

    /** Reads a member's name and its ':'. */
    void name() {
        if (peek() != '"') {
            throw malformed("expected a field name");
        }
        scanString();
        nameStart = rawStart;
        nameEnd = rawEnd;
        nameEscaped = rawEscaped;
        if (peek() != ':') {
            throw malformed("expected ':'");
        }
        pos++;
    }

    /** Whether the last name is {@code name} (ASCII bytes); names with escapes are compared decoded. */
    boolean nameIs(byte[] name) {
        if (nameEscaped) {
            return nameString().equals(new String(name, StandardCharsets.ISO_8859_1));
        }
        if (nameEnd - nameStart != name.length) {
            return false;
        }
        // Names are short: a plain loop beats the intrinsic's set-up
        for (int i = 0; i < name.length; i++) {
            if (in[nameStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** The last name's length in bytes and its first byte (0 when empty), to tell names apart cheaply. */
    int nameLength() {
        return nameEnd - nameStart;
    }

    int nameFirstByte() {
        return nameEnd > nameStart ? in[nameStart] : 0;
    }

    int nameStart() {
        return nameStart;
    }

    int nameEnd() {
        return nameEnd;
    }

    boolean nameEscaped() {
        return nameEscaped;
    }

    /** The last name's bytes, for {@link #nameIs} later. */
    byte[] nameBytes() {
        return Arrays.copyOfRange(in, nameStart, nameEnd);
    }

    String nameString() {
        return decode(in, nameStart, nameEnd);
    }

    /** Reads a string value. */
    String string() {
        scanString();
        if (rawAscii) {
            return new String(in, rawStart, rawEnd - rawStart, StandardCharsets.ISO_8859_1);
        }
        return rawEscaped ? decode(in, rawStart, rawEnd) : utf8(in, rawStart, rawEnd);
    }

    /** Reads a number, keeping its text (as {@link #rawText()}). */
    void number() {
        int start = pos;
        boolean integer = true;
        if (at('-')) {
            pos++;
        }
        if (at('0')) {
            pos++;
        } else if (!digits()) {
            throw malformed("expected a digit");
        }
        if (at('.')) {
            pos++;
            integer = false;
            if (!digits()) {
                throw malformed("expected a digit after '.'");
            }
        }
        if (at('e') || at('E')) {
            pos++;
            integer = false;
            if (at('+') || at('-')) {
                pos++;
            }
            if (!digits()) {
                throw malformed("expected a digit in the exponent");
            }
        }
        rawStart = start;
        rawEnd = pos;
        rawEscaped = false;
        rawAscii = true;
        rawInteger = integer;
    }

    /** The number just read as a long, or {@code null} when it has a fraction or exponent or is out of range. */
    @Nullable Long longValue() {
        if (!rawInteger) {
            return null;
        }
        boolean negative = in[rawStart] == '-';
        long value = 0;
        for (int i = negative ? rawStart + 1 : rawStart; i < rawEnd; i++) {
            int digit = in[i] - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return null;
            }
            value = value * 10 - digit; // accumulated negative: Long.MIN_VALUE fits
        }
        if (!negative && value == Long.MIN_VALUE) {
            return null;
        }
        return negative ? value : -value;
    }

    /** Reads {@code true}, {@code false} or {@code null} as {@link #kind()} saw it. */
    void literal(int kind) {
        byte[] word = kind == TRUE ? TRUE_BYTES : kind == FALSE ? FALSE_BYTES : NULL_BYTES;
        if (!Arrays.equals(in, pos, Math.min(pos + word.length, in.length), word, 0, word.length)) {
            throw malformed("expected " + new String(word, StandardCharsets.ISO_8859_1));
        }
        rawStart = pos;
        pos += word.length;
        rawEnd = pos;
        rawEscaped = false;
        rawAscii = true;
    }

    /** The text of the last number or literal (ASCII). */
    String rawText() {
        return new String(in, rawStart, rawEnd - rawStart, StandardCharsets.ISO_8859_1);
    }

    int rawStart() {
        return rawStart;
    }

    int rawEnd() {
        return rawEnd;
    }

    /** Skips the next value, whatever it is. */
    void skip() {
        skip(0);
    }

    private void skip(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nested deeper than " + MAX_DEPTH);
        }
        int kind = kind();
        switch (kind) {
            case STRING -> scanString();
            case NUMBER -> number();
            case OBJECT -> {
                open();
                for (boolean more = firstMember(); more; more = moreMembers()) {
                    name();
                    skip(depth + 1);
                }
            }
            case ARRAY -> {
                open();
                for (boolean more = firstElement(); more; more = moreElements()) {
                    skip(depth + 1);
                }
            }
            default -> literal(kind);
        }
    }

    /** Checks that only whitespace follows. */
    void end() {
        if (peek() != -1) {
            throw malformed("expected nothing after the object");
        }
    }

    /** Decodes the bytes of a string between its quotes: JSON's escapes and UTF-8. */
    String decode(byte[] bytes, int start, int end) {
        StringBuilder text = null;
        int segment = start;
        for (int i = start; i < end; i++) {
            if (bytes[i] != '\\') {
                continue;
            }
            if (text == null) {
                text = new StringBuilder(end - start);
            }
            text.append(utf8(bytes, segment, i));
            if (i + 1 >= end) {
                throw malformed("a string ends in '\\'");
            }
            byte escape = bytes[i + 1];
            switch (escape) {
                case '"', '\\', '/' -> text.append((char) escape);
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'u' -> {
                    if (i + 6 > end) {
                        throw malformed("expected four hex digits after \\u");
                    }
                    int code = 0;
                    for (int h = i + 2; h < i + 6; h++) {
                        int digit = Character.digit(bytes[h], 16);
                        if (digit < 0) {
                            throw malformed("expected four hex digits after \\u");
                        }
                        code = code * 16 + digit;
                    }
                    text.append((char) code);
                    i += 4;
                }
                default -> throw malformed("an unknown escape '\\" + (char) (escape & 0xff) + "'");
            }
            i++;
            segment = i + 1;
        }
        if (text == null) {
            return utf8(bytes, start, end);
        }
        return text.append(utf8(bytes, segment, end)).toString();
    }

    /** UTF-8 bytes without escapes as a string; invalid UTF-8 is an error (not replaced). */
    private String utf8(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            if (bytes[i] < 0) {
                try {
                    return utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
                } catch (CharacterCodingException e) {
                    throw malformed("invalid UTF-8 in a string");
                }
            }
        }
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1); // ASCII
    }

    /** At a '"': steps over the string, noting where its text is. */
    private void scanString() {
        int start = ++pos;
        boolean escaped = false;
        boolean ascii = true;
        byte[] bytes = in;
        int length = bytes.length;
        int i = start;
        while (true) {
            // Plain ASCII runs in a tight loop; the table marks what ends or interrupts one
            while (i < length && STRING_BYTES[bytes[i] & 0xff] == 0) {
                i++;
            }
            if (i >= length) {
                pos = i;
                throw malformed("a string does not end");
            }
            int code = STRING_BYTES[bytes[i] & 0xff];
            if (code == QUOTE) {
                break;
            }
            if (code == BACKSLASH) {
                escaped = true;
                i += 2;
            } else if (code == CONTROL) {
                pos = i;
                throw malformed("a control character in a string");
            } else {
                ascii = false;
                i++;
            }
        }
        rawStart = start;
        rawEnd = i;
        rawEscaped = escaped;
        rawAscii = ascii && !escaped;
        pos = i + 1;
    }

    private boolean digits() {
        int start = pos;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        return pos > start;
    }

    private boolean at(char c) {
        return pos < in.length && in[pos] == c;
    }

    /** The next byte that is not whitespace, not consumed; -1 at the end. */
    private int peek() {
        byte[] bytes = in;
        while (pos < bytes.length) {
            byte b = bytes[pos];
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                pos++;
            } else {
                return b & 0xff;
            }
        }
        return -1;
    }

    private IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("not valid JSON (" + what + " at byte " + pos + ")" + preview(in));
    }

    static String preview(byte[] bytes) {
        int length = Math.min(bytes.length, 60);
        StringBuilder text = new StringBuilder(": starts with ");
        for (int i = 0; i < length; i++) {
            char c = (char) (bytes[i] & 0xff);
            text.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }
}
