package dev.canalboot.kafka;

import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.model.Column;
import dev.canalboot.model.TableSchema;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Canal flat message from its JSON bytes in one pass (no data binding, no maps, no token objects): each row
 * image becomes its column names and value texts, and the table's schema comes from a cache of message shapes.
 * Fields it does not know are skipped, so that later Canal versions' additions do not break it.
 * <p>
 * A reader of its own rather than Jackson's streaming parser: profiles of the Kafka source showed a third of the
 * decoding in setting up a parser per message and in tokenizing what is skipped or only compared (the numbers of
 * {@code sqlType}, the names of every row). The input must be JSON as RFC 8259 defines it, in UTF-8: anything else
 * is an error naming where it went wrong. Value texts are copied into one buffer ({@link FlatRecord.Image}), with
 * their escapes and UTF-8 decoded, without a {@code String} each; the converter makes the typed values from there.
 * <p>
 * The shape of a message is its {@code database}, {@code table}, {@code pkNames} and {@code mysqlType} (names and
 * type texts, in order). It is read into a reused buffer without making strings of it; a shape seen before gives
 * the same {@link TableSchema} instance, so the type texts are parsed once per table, not once per message. Row
 * column names equal to the last message's are that message's {@code String}s (and names array).
 * <p>
 * Not thread-safe (reused buffers and the shape cache): one per source, used by the polling thread. A record's
 * images are valid until the next {@code read}.
 */
final class FlatMessageReader {

    /** Shapes kept; past this the cache starts again (a table altered again and again, or very many tables). */
    static final int MAX_SHAPES = 1024;
    /** Deeper nesting in a skipped value is an error (a flat message nests three levels). */
    static final int MAX_DEPTH = 500;

    private static final int EOF = Integer.MIN_VALUE;
    private static final String[] FIELDS = {"id", "ts", "database", "table", "pkNames", "mysqlType", "isDdl", "type",
            "es", "sql", "data", "old", "gtid"};
    private static final int ID = 0;
    private static final int TS = 1;
    private static final int DATABASE = 2;
    private static final int TABLE = 3;
    private static final int PK_NAMES = 4;
    private static final int MYSQL_TYPE = 5;
    private static final int IS_DDL = 6;
    private static final int TYPE = 7;
    private static final int ES = 8;
    private static final int SQL = 9;
    private static final int DATA = 10;
    private static final int OLD = 11;
    private static final int GTID = 12;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Each shape seen, as its own key, holding its schema. */
    private final Map<Shape, Shape> shapes = new HashMap<>();
    /** The shape being read (reused). */
    private final Shape shape = new Shape();
    private @Nullable Shape lastShape;

    /** The message being read: {@code in[pos..end)} is what is left of it, from {@code start}. */
    private byte[] in = new byte[0];
    private int pos;
    private int end;
    private int start;
    /** The string (name or text) just read; as long as the message, so never full. */
    private char[] string = new char[1024];
    private int stringLength;
    /** The row images' value texts of the message; as long as the message, so never full. */
    private char[] texts = new char[4096];
    private int textsLength;
    private int[] rowSpans = new int[64];
    private String[] rowNames = new String[32];
    /** The column names of the last message's first row. */
    private String[] lastNames = new String[0];
    /** The last texts of these fields, reused while equal. */
    private @Nullable String lastDatabase;
    private @Nullable String lastTable;
    private @Nullable String lastType;
    private @Nullable String lastSql;
    private @Nullable String lastGtid;

    /** @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape */
    FlatRecord read(byte[] json) {
        return read(json, 0, json.length);
    }

    /**
     * The message in {@code length} bytes of {@code json} from {@code offset}. Its images' texts are valid until the
     * next call.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape
     */
    FlatRecord read(byte[] json, int offset, int length) {
        // Each char of a text comes from one byte or more: buffers as long as the message never fill up
        if (texts.length < length) {
            texts = new char[Math.max(length, texts.length * 2)];
        }
        if (string.length < length) {
            string = new char[Math.max(length, string.length * 2)];
        }
        in = json;
        pos = offset;
        end = offset + length;
        start = offset;
        textsLength = 0;
        if (length >= 3 && json[offset] == (byte) 0xEF && json[offset + 1] == (byte) 0xBB
                && json[offset + 2] == (byte) 0xBF) {
            pos += 3; // a UTF-8 byte order mark
        }
        skipWhitespace();
        if (peek() != '{') {
            throw new IllegalArgumentException("not a JSON object" + preview());
        }
        pos++;
        shape.clear();
        String database = null;
        String table = null;
        boolean isDdl = false;
        String type = null;
        long es = 0;
        String sql = null;
        int columns = 0;
        List<FlatRecord.Image> data = null;
        List<FlatRecord.Image> old = null;
        String gtid = null;
        int seen = 0;
        if (!closes('}')) {
            do {
                name();
                int field = field();
                switch (field) {
                    case ID, TS -> number(FIELDS[field]);
                    case DATABASE -> {
                        seen = once(seen, 1, "database");
                        database = text("database", lastDatabase);
                        lastDatabase = database;
                        shape.tag('d');
                        shape.string(database);
                    }
                    case TABLE -> {
                        seen = once(seen, 2, "table");
                        table = text("table", lastTable);
                        lastTable = table;
                        shape.tag('t');
                        shape.string(table);
                    }
                    case PK_NAMES -> {
                        seen = once(seen, 4, "pkNames");
                        primaryKey();
                    }
                    case MYSQL_TYPE -> {
                        seen = once(seen, 8, "mysqlType");
                        columns = columnTypes();
                    }
                    case IS_DDL -> isDdl = bool();
                    case TYPE -> {
                        type = text("type", lastType);
                        lastType = type;
                    }
                    case ES -> es = number("es");
                    case SQL -> {
                        sql = text("sql", lastSql);
                        lastSql = sql;
                    }
                    case DATA -> data = images("data");
                    case OLD -> old = images("old");
                    case GTID -> {
                        gtid = text("gtid", lastGtid);
                        lastGtid = gtid;
                    }
                    default -> skipValue(1);
                }
            } while (nextMember('}'));
        }
        skipWhitespace();
        if (pos != end) {
            throw new IllegalArgumentException("not valid JSON (more after the object, at byte " + (pos - start) + ")"
                    + preview());
        }
        TableSchema schema = columns > 0 && data != null && !data.isEmpty() && !isDdl
                && FlatRecord.changeType(type) != null ? schema(database, table) : null;
        return new FlatRecord(database, table, isDdl, type, es, sql, gtid, schema, data, old);
    }

    /** The index in {@link #FIELDS} of the name just read, or -1. */
    private int field() {
        for (int i = 0; i < FIELDS.length; i++) {
            if (stringIs(FIELDS[i])) {
                return i;
            }
        }
        return -1;
    }

    private boolean stringIs(String text) {
        if (text.length() != stringLength) {
            return false;
        }
        for (int i = 0; i < stringLength; i++) {
            if (text.charAt(i) != string[i]) {
                return false;
            }
        }
        return true;
    }

    private static int once(int seen, int bit, String field) {
        if ((seen & bit) != 0) {
            throw new IllegalArgumentException("field '" + field + "' appears twice");
        }
        return seen | bit;
    }

    /** Appends {@code pkNames} to the shape: 'P' for null, else 'p' and one 'k' per name. */
    private void primaryKey() {
        skipWhitespace();
        if (peek() == 'n') {
            literal(NULL);
            shape.tag('P');
            return;
        }
        expect('[', "pkNames", -1, "an array");
        shape.tag('p');
        int i = 0;
        if (!closes(']')) {
            do {
                shape.tag('k');
                scalarToShape("pkNames", i++, null);
            } while (nextMember(']'));
        }
    }

    /** Appends {@code mysqlType} to the shape: 'M' for null, else 'm' and one 'c' (name, type text) per column. */
    private int columnTypes() {
        skipWhitespace();
        if (peek() == 'n') {
            literal(NULL);
            shape.tag('M');
            return 0;
        }
        expect('{', "mysqlType", -1, "an object");
        shape.tag('m');
        int columns = 0;
        if (!closes('}')) {
            do {
                name();
                shape.tag('c');
                shape.string(string, 0, stringLength);
                skipWhitespace();
                if (peek() == '{' || peek() == '[') {
                    throw new IllegalArgumentException("field 'mysqlType." + new String(string, 0, stringLength)
                            + "' is " + kind(peek()) + ", expected a string");
                }
                scalarToShape("mysqlType", -1, null);
                columns++;
            } while (nextMember('}'));
        }
        return columns;
    }

    /** The schema of the shape just read: the last message's, a cached one, or a new one. */
    private TableSchema schema(@Nullable String database, @Nullable String table) {
        if (lastShape != null && shape.equals(lastShape)) {
            return lastShape.schema;
        }
        shape.hash();
        Shape kept = shapes.get(shape);
        if (kept == null) {
            if (shapes.size() >= MAX_SHAPES) {
                shapes.clear();
            }
            kept = shape.copy(shape.schema(database, table));
            shapes.put(kept, kept);
        }
        lastShape = kept;
        return kept.schema;
    }

    /**
     * The text of a scalar value ({@code previous} when equal to it); numbers and booleans written by other
     * producers keep their text.
     */
    private @Nullable String text(String field, @Nullable String previous) {
        if (!scalar(field, -1, null)) {
            return null;
        }
        return previous != null && stringIs(previous) ? previous : new String(string, 0, stringLength);
    }

    /** As {@link #text}, appended to the shape without making a string of it. */
    private void scalarToShape(String field, int index, @Nullable String name) {
        if (scalar(field, index, name)) {
            shape.string(string, 0, stringLength);
        } else {
            shape.string(null);
        }
    }

    /**
     * Reads a scalar value's text into {@link #string}.
     *
     * @return false for null
     */
    private boolean scalar(String field, int index, @Nullable String name) {
        skipWhitespace();
        int c = peek();
        switch (c) {
            case '"' -> stringLength = string(string, 0);
            case 'n' -> {
                literal(NULL);
                return false;
            }
            case 't' -> stringLength = literal(TRUE, string, 0);
            case 'f' -> stringLength = literal(FALSE, string, 0);
            case '{', '[' -> throw new IllegalArgumentException("field '" + path(field, index, name) + "' is "
                    + (c == '{' ? "an object" : "an array") + ", expected a string");
            default -> stringLength = number(string, 0);
        }
        return true;
    }

    /** {@code es}, {@code id}, {@code ts}: an integer, or its text; null is 0. */
    private long number(String field) {
        skipWhitespace();
        int c = peek();
        if (c == '{' || c == '[' || c == 't' || c == 'f') {
            throw new IllegalArgumentException("field '" + field + "' is " + (c == '{' ? "an object" : c == '['
                    ? "an array" : "a boolean") + ", expected a number");
        }
        if (!scalar(field, -1, null)) {
            return 0;
        }
        String text = new String(string, 0, stringLength);
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + field + "' is '" + text + "', expected a number", e);
        }
    }

    /** {@code isDdl}: true only for {@code true}. */
    private boolean bool() {
        skipWhitespace();
        if (peek() == 't') {
            literal(TRUE);
            return true;
        }
        skipValue(1);
        return false;
    }

    /** {@code data} or {@code old}: an array of objects; rows with the same columns share one names array. */
    private @Nullable List<FlatRecord.Image> images(String field) {
        skipWhitespace();
        if (peek() == 'n') {
            literal(NULL);
            return null;
        }
        expect('[', field, -1, "an array");
        List<FlatRecord.Image> images = new ArrayList<>(2);
        String[] shared = null;
        if (!closes(']')) {
            do {
                skipWhitespace();
                expect('{', field, images.size(), "an object");
                String[] candidate = shared != null ? shared : field.equals("data") ? lastNames : rowNames;
                boolean same = shared != null || field.equals("data");
                int values = 0;
                if (!closes('}')) {
                    do {
                        name();
                        if (values == rowNames.length) {
                            rowNames = Arrays.copyOf(rowNames, values * 2);
                        }
                        if (2 * values + 2 > rowSpans.length) {
                            rowSpans = Arrays.copyOf(rowSpans, rowSpans.length * 2);
                        }
                        String name;
                        if (same && values < candidate.length && stringIs(candidate[values])) {
                            name = candidate[values];
                        } else {
                            same = false;
                            name = new String(string, 0, stringLength);
                        }
                        rowNames[values] = name;
                        value(field, images.size(), name, 2 * values);
                        values++;
                    } while (nextMember('}'));
                }
                String[] names = same && values == candidate.length ? candidate : Arrays.copyOf(rowNames, values);
                if (shared == null) {
                    shared = names;
                }
                images.add(new FlatRecord.Image(names, texts, Arrays.copyOf(rowSpans, 2 * values)));
            } while (nextMember(']'));
        }
        if (shared != null && field.equals("data")) {
            lastNames = shared;
        }
        return images;
    }

    /** A value of a row image: its text into {@link #texts}, its offset and length into {@link #rowSpans}. */
    private void value(String field, int index, String name, int span) {
        skipWhitespace();
        int c = peek();
        int at = textsLength;
        switch (c) {
            case '"' -> textsLength = string(texts, at);
            case 'n' -> {
                literal(NULL);
                rowSpans[span] = -1;
                rowSpans[span + 1] = 0;
                return;
            }
            // Values are strings in Canal's output; numbers and booleans written by other producers keep their text
            case 't' -> textsLength = literal(TRUE, texts, at);
            case 'f' -> textsLength = literal(FALSE, texts, at);
            case '{', '[' -> throw new IllegalArgumentException("field '" + path(field, index, name) + "' is "
                    + (c == '{' ? "an object" : "an array") + ", expected a string");
            default -> textsLength = number(texts, at);
        }
        rowSpans[span] = at;
        rowSpans[span + 1] = textsLength - at;
    }

    /** Skips any value, checking that it is JSON. */
    private void skipValue(int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid("nested deeper than " + MAX_DEPTH + " levels");
        }
        skipWhitespace();
        switch (peek()) {
            case '"' -> string(string, 0);
            case '{' -> {
                pos++;
                if (!closes('}')) {
                    do {
                        name();
                        skipValue(depth + 1);
                    } while (nextMember('}'));
                }
            }
            case '[' -> {
                pos++;
                if (!closes(']')) {
                    do {
                        skipValue(depth + 1);
                    } while (nextMember(']'));
                }
            }
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> number(string, 0);
        }
    }

    // ---- JSON tokens (RFC 8259) ----

    private int peek() {
        return pos < end ? in[pos] : EOF;
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    /** A member's name into {@link #string}, and the colon after it. */
    private void name() {
        skipWhitespace();
        if (peek() != '"') {
            throw invalid("expected a field name");
        }
        stringLength = string(string, 0);
        skipWhitespace();
        if (peek() != ':') {
            throw invalid("expected ':' after field name");
        }
        pos++;
    }

    /** Whether the object or array ends right here (consumed if so). */
    private boolean closes(char close) {
        skipWhitespace();
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member or element: true for a comma (another follows), false for {@code close}. */
    private boolean nextMember(char close) {
        skipWhitespace();
        int c = peek();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c == close) {
            pos++;
            return false;
        }
        throw invalid("expected ',' or '" + close + "'");
    }

    private void expect(char open, String field, int index, String what) {
        int c = peek();
        if (c != open) {
            throw new IllegalArgumentException("field '" + path(field, index, null) + "' is " + kind(c)
                    + ", expected " + what);
        }
        pos++;
    }

    private static String kind(int c) {
        return switch (c) {
            case '{' -> "an object";
            case '[' -> "an array";
            case '"' -> "a string";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            case EOF -> "missing";
            default -> "a number";
        };
    }

    private void literal(byte[] word) {
        if (end - pos < word.length || !Arrays.equals(in, pos, pos + word.length, word, 0, word.length)) {
            throw invalid("expected " + new String(word, StandardCharsets.US_ASCII));
        }
        pos += word.length;
    }

    /** A literal, its text copied to {@code out} at {@code at}; returns where its text ends there. */
    private int literal(byte[] word, char[] out, int at) {
        literal(word);
        for (byte b : word) {
            out[at++] = (char) b;
        }
        return at;
    }

    /** A number ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}) copied to {@code out} at {@code at}. */
    private int number(char[] out, int at) {
        int p = pos;
        if (p < end && in[p] == '-') {
            p++;
        }
        if (p < end && in[p] == '0') {
            p++;
        } else {
            p = digits(p, "a value");
        }
        if (p < end && in[p] == '.') {
            p = digits(p + 1, "digits after '.'");
        }
        if (p < end && (in[p] == 'e' || in[p] == 'E')) {
            p++;
            if (p < end && (in[p] == '+' || in[p] == '-')) {
                p++;
            }
            p = digits(p, "digits of an exponent");
        }
        for (int i = pos; i < p; i++) {
            out[at++] = (char) in[i];
        }
        pos = p;
        return at;
    }

    private int digits(int p, String expected) {
        int first = p;
        while (p < end && in[p] >= '0' && in[p] <= '9') {
            p++;
        }
        if (p == first) {
            pos = p;
            throw invalid("expected " + expected);
        }
        return p;
    }

    /**
     * The string at {@code pos} (its opening quote), escapes and UTF-8 decoded, copied to {@code out} at
     * {@code at}; returns where its text ends there.
     */
    private int string(char[] out, int at) {
        byte[] b = in;
        int p = pos + 1;
        int e = end;
        while (true) {
            if (p >= e) {
                pos = p;
                throw invalid("a string does not end");
            }
            int c = b[p];
            if (c >= 0x20 && c != '"' && c != '\\') { // the common case: ASCII text
                out[at++] = (char) c;
                p++;
            } else if (c == '"') {
                pos = p + 1;
                return at;
            } else if (c == '\\') {
                if (p + 1 >= e) {
                    pos = p;
                    throw invalid("a string does not end");
                }
                switch (b[p + 1]) {
                    case '"' -> out[at++] = '"';
                    case '\\' -> out[at++] = '\\';
                    case '/' -> out[at++] = '/';
                    case 'b' -> out[at++] = '\b';
                    case 'f' -> out[at++] = '\f';
                    case 'n' -> out[at++] = '\n';
                    case 'r' -> out[at++] = '\r';
                    case 't' -> out[at++] = '\t';
                    case 'u' -> {
                        out[at++] = (char) ((hex(p + 2) << 12) | (hex(p + 3) << 8) | (hex(p + 4) << 4) | hex(p + 5));
                        p += 4;
                    }
                    default -> {
                        pos = p;
                        throw invalid("bad escape");
                    }
                }
                p += 2;
            } else if (c >= 0) {
                pos = p;
                throw invalid("control character 0x" + Integer.toHexString(c) + " in a string");
            } else {
                int lead = c & 0xff;
                if (lead >= 0xC2 && lead <= 0xDF) {
                    out[at++] = (char) (((lead & 0x1F) << 6) | continuation(p + 1));
                    p += 2;
                } else if (lead >= 0xE0 && lead <= 0xEF) {
                    int cp = ((lead & 0x0F) << 12) | (continuation(p + 1) << 6) | continuation(p + 2);
                    if (cp < 0x800) {
                        pos = p;
                        throw invalid("invalid UTF-8 (overlong)");
                    }
                    out[at++] = (char) cp;
                    p += 3;
                } else if (lead >= 0xF0 && lead <= 0xF4) {
                    int cp = ((lead & 0x07) << 18) | (continuation(p + 1) << 12) | (continuation(p + 2) << 6)
                            | continuation(p + 3);
                    if (cp < 0x10000 || cp > 0x10FFFF) {
                        pos = p;
                        throw invalid("invalid UTF-8 (code point out of range)");
                    }
                    out[at++] = Character.highSurrogate(cp);
                    out[at++] = Character.lowSurrogate(cp);
                    p += 4;
                } else {
                    pos = p;
                    throw invalid("invalid UTF-8 (byte 0x" + Integer.toHexString(lead) + ")");
                }
            }
        }
    }

    private int continuation(int p) {
        if (p >= end || (in[p] & 0xC0) != 0x80) {
            pos = p;
            throw invalid("invalid UTF-8 (a multi-byte character cut short)");
        }
        return in[p] & 0x3F;
    }

    private int hex(int p) {
        int c = p < end ? in[p] : EOF;
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        pos = p;
        throw invalid("bad \\u escape");
    }

    private IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException("not valid JSON (" + (pos >= end ? "ends early: " : "") + what
                + ", at byte " + (pos - start) + ")" + preview());
    }

    private static String path(String field, int index, @Nullable String name) {
        return field + (index >= 0 ? "[" + index + "]" : "") + (name == null ? "" : "." + name);
    }

    private String preview() {
        int shown = Math.min(end - start, 60);
        StringBuilder text = new StringBuilder(": starts with ");
        for (int i = start; i < start + shown; i++) {
            char c = (char) (in[i] & 0xff);
            text.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", in[i] & 0xff));
        }
        return text.toString();
    }

    /**
     * A message's shape as one char sequence: tags and length-prefixed strings (two chars of length, {@code
     * 0xFFFF 0xFFFF} for null), in the order of the message's fields. Equal sequences give equal schemas.
     */
    private static final class Shape {

        private static final char NULL = 0xFFFF;

        private char[] chars;
        private int length;
        private int hash;
        /** Set on the shapes kept in the cache. */
        private final @Nullable TableSchema schema;

        Shape() {
            this(new char[512], 0, 0, null);
        }

        private Shape(char[] chars, int length, int hash, @Nullable TableSchema schema) {
            this.chars = chars;
            this.length = length;
            this.hash = hash;
            this.schema = schema;
        }

        void clear() {
            length = 0;
        }

        void tag(char tag) {
            room(1);
            chars[length++] = tag;
        }

        void string(@Nullable String text) {
            if (text == null) {
                room(2);
                chars[length++] = NULL;
                chars[length++] = NULL;
                return;
            }
            int n = text.length();
            room(n + 2);
            chars[length++] = (char) (n >>> 16);
            chars[length++] = (char) n;
            text.getChars(0, n, chars, length);
            length += n;
        }

        void string(char[] text, int offset, int n) {
            room(n + 2);
            chars[length++] = (char) (n >>> 16);
            chars[length++] = (char) n;
            System.arraycopy(text, offset, chars, length, n);
            length += n;
        }

        private void room(int more) {
            if (length + more > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + more));
            }
        }

        void hash() {
            int h = 1;
            for (int i = 0; i < length; i++) {
                h = 31 * h + chars[i];
            }
            hash = h;
        }

        /** A copy to keep, with the schema it describes. */
        Shape copy(TableSchema schema) {
            return new Shape(Arrays.copyOf(chars, length), length, hash, schema);
        }

        /** The schema this shape describes: columns from the 'c' entries, primary key from the 'k' entries. */
        TableSchema schema(@Nullable String database, @Nullable String table) {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<String> primaryKey = new ArrayList<>();
            int i = 0;
            while (i < length) {
                char tag = chars[i++];
                switch (tag) {
                    case 'd', 't', 'k' -> {
                        String text = stringAt(i);
                        i = after(i);
                        if (tag == 'k') {
                            primaryKey.add(text);
                        }
                    }
                    case 'c' -> {
                        names.add(stringAt(i));
                        i = after(i);
                        types.add(stringAt(i));
                        i = after(i);
                    }
                    default -> { } // markers without strings: 'p', 'P', 'm', 'M'
                }
            }
            List<Column> columns = new ArrayList<>(names.size());
            for (int c = 0; c < names.size(); c++) {
                columns.add(MySqlTypeText.parse(types.get(c))
                        .column(names.get(c), c, primaryKey.contains(names.get(c))));
            }
            return new TableSchema(database, table, columns);
        }

        private @Nullable String stringAt(int at) {
            if (chars[at] == NULL && chars[at + 1] == NULL) {
                return null;
            }
            return new String(chars, at + 2, (chars[at] << 16) | chars[at + 1]);
        }

        private int after(int at) {
            return chars[at] == NULL && chars[at + 1] == NULL ? at + 2 : at + 2 + ((chars[at] << 16) | chars[at + 1]);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Shape shape
                    && Arrays.equals(chars, 0, length, shape.chars, 0, shape.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
