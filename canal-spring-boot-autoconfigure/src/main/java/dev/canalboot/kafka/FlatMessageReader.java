package dev.canalboot.kafka;

import com.alibaba.fastjson2.JSONException;
import com.alibaba.fastjson2.JSONFactory;
import com.alibaba.fastjson2.JSONReader;
import dev.canalboot.canal.CanalDamagedColumns;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a Canal flat message from its JSON bytes with fastjson2's streaming reader (no data binding, no maps, no
 * auto-typing): each row image becomes its column names and value texts, and the table's schema comes from a cache
 * of message shapes. Fields it does not know are skipped, so that later Canal versions' additions do not break it.
 * <p>
 * The reader is strict where its library is lenient: the bytes must be well-formed UTF-8 (the library would decode
 * some malformed sequences into other characters), strings double-quoted, values separated by exactly one comma,
 * nothing after the object. Two leniencies of the library remain, neither changing a value: control characters
 * written unescaped inside strings are taken as written, and a comment at the start of an object or inside a skipped
 * field is skipped (anywhere else a comment is an error).
 * <p>
 * The shape of a message is its {@code database}, {@code table}, {@code pkNames} and {@code mysqlType} (names and
 * type texts, in order), written into a reused buffer; a shape seen before gives the same {@link TableSchema}
 * instance, so the type texts are parsed once per table, not once per message.
 * <p>
 * Not thread-safe (reused buffers, the shape cache, the reader context): one per decoding thread
 * ({@link RecordDecoding}).
 */
final class FlatMessageReader {

    /** Shapes kept; past this the cache starts again (a table altered again and again, or very many tables). */
    static final int MAX_SHAPES = 1024;
    private static final byte[] NO_MESSAGE = new byte[0];

    /** The source's name, for the log. */
    private final String source;
    private final Set<String> warned;
    /** Single-quoted strings are an error; no reference or type resolution is ever asked of the reader. */
    private final JSONReader.Context context = new JSONReader.Context(JSONFactory.getDefaultObjectReaderProvider(),
            JSONReader.Feature.DisableSingleQuote, JSONReader.Feature.DisableReferenceDetect);
    /** Each shape seen, as its own key, holding its schema. */
    private final Map<Shape, Shape> shapes = new HashMap<>();
    /** The shape being read (reused). */
    private final Shape shape = new Shape();
    private @Nullable Shape lastShape;
    private final List<String> rowNames = new ArrayList<>();
    /** The value texts of the row being read. */
    private String[] rowValues = new String[64];
    /** The message being read (its array, first byte and length): raw texts of numbers, and error messages. */
    private byte[] json = NO_MESSAGE;
    private int start;
    private int length;

    FlatMessageReader(String source) {
        this(source, ConcurrentHashMap.newKeySet());
    }

    /** @param warned the tables named in the WARN about columns Canal damages, shared by one source's readers */
    FlatMessageReader(String source, Set<String> warned) {
        this.source = source;
        this.warned = warned;
    }

    /** @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape */
    FlatRecord read(byte[] json) {
        return read(json, 0, json.length);
    }

    /**
     * The message in {@code length} bytes of {@code json} from {@code offset}.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape
     */
    FlatRecord read(byte[] json, int offset, int length) {
        this.json = json;
        this.start = offset;
        this.length = length;
        try {
            return read();
        } finally {
            this.json = NO_MESSAGE; // not kept past the call
        }
    }

    private FlatRecord read() {
        int malformed = WellFormedUtf8.firstMalformed(json, start, start + length);
        if (malformed >= 0) {
            throw new IllegalArgumentException("not valid UTF-8 (byte " + (malformed - start) + " of " + length + ")"
                    + preview());
        }
        try (JSONReader in = JSONReader.of(json, start, length, context)) {
            if (!in.nextIfObjectStart()) {
                throw new IllegalArgumentException("not a JSON object" + preview());
            }
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
            while (!in.nextIfObjectEnd()) {
                String field = name(in);
                switch (field) {
                    case "id", "ts" -> number(in, field);
                    case "database" -> {
                        seen = once(seen, 1, field);
                        database = text(in, field, -1, null);
                        shape.tag('d');
                        shape.string(database);
                    }
                    case "table" -> {
                        seen = once(seen, 2, field);
                        table = text(in, field, -1, null);
                        shape.tag('t');
                        shape.string(table);
                    }
                    case "pkNames" -> {
                        seen = once(seen, 4, field);
                        primaryKey(in);
                    }
                    case "mysqlType" -> {
                        seen = once(seen, 8, field);
                        columns = columnTypes(in);
                    }
                    case "isDdl" -> isDdl = bool(in, field);
                    case "type" -> type = text(in, field, -1, null);
                    case "es" -> es = number(in, field);
                    case "sql" -> sql = text(in, field, -1, null);
                    case "data" -> data = images(in, field);
                    case "old" -> old = images(in, field);
                    case "gtid" -> gtid = text(in, field, -1, null);
                    default -> in.skipValue();
                }
                separated(in, '}');
            }
            if (in.hasComma() || !in.isEnd()) {
                throw invalid("more after the object");
            }
            TableSchema schema = columns > 0 && data != null && !data.isEmpty() && !isDdl
                    && FlatRecord.changeType(type) != null ? schema(database, table) : null;
            return new FlatRecord(database, table, isDdl, type, es, sql, gtid, schema, data, old);
        } catch (JSONException e) {
            throw new IllegalArgumentException("not valid JSON (" + reason(e) + ")" + preview(), e);
        }
    }

    private static int once(int seen, int bit, String field) {
        if ((seen & bit) != 0) {
            throw new IllegalArgumentException("field '" + field + "' appears twice");
        }
        return seen | bit;
    }

    /** A field name: double-quoted (the library would also take a bare word). */
    private String name(JSONReader in) {
        if (in.current() != '"') {
            throw invalid("a field name expected at " + at(in));
        }
        return in.readFieldName();
    }

    /**
     * After a value inside an object or array: exactly one comma, or none before the closing bracket. The library
     * checks this for what it skips but not after the values it reads.
     */
    private void separated(JSONReader in, char close) {
        if (in.current() == close) {
            if (in.hasComma()) {
                throw invalid("a comma before '" + close + "'");
            }
        } else if (!in.hasComma()) {
            throw invalid("no comma before " + at(in));
        }
    }

    /** The reader's current character for an error message, or that the message ended there. */
    private static String at(JSONReader in) {
        return in.isEnd() ? "the end of the message" : "'" + in.current() + "'";
    }

    /** Appends {@code pkNames} to the shape: 'P' for null, else 'p' and one 'k' per name. */
    private void primaryKey(JSONReader in) {
        if (isNull(in)) {
            shape.tag('P');
            return;
        }
        expect(in, '[', "pkNames");
        in.nextIfArrayStart();
        shape.tag('p');
        int i = 0;
        while (!in.nextIfArrayEnd()) {
            shape.tag('k');
            shape.string(text(in, "pkNames", i++, null));
            separated(in, ']');
        }
    }

    /** Appends {@code mysqlType} to the shape: 'M' for null, else 'm' and one 'c' (name, type text) per column. */
    private int columnTypes(JSONReader in) {
        if (isNull(in)) {
            shape.tag('M');
            return 0;
        }
        expect(in, '{', "mysqlType");
        in.nextIfObjectStart();
        shape.tag('m');
        int columns = 0;
        while (!in.nextIfObjectEnd()) {
            String name = name(in);
            shape.tag('c');
            shape.string(name);
            shape.string(text(in, "mysqlType", -1, name));
            separated(in, '}');
            columns++;
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
            kept = shape.copy(shape.schema(source, database, table, warned));
            shapes.put(kept, kept);
        }
        lastShape = kept;
        return kept.schema;
    }

    /**
     * The text of a scalar value, or null; anything but a scalar is refused. Values are strings in Canal's output;
     * numbers and booleans written by other producers keep their text as written.
     */
    private @Nullable String text(JSONReader in, String field, int index, @Nullable String name) {
        if (isNull(in)) {
            return null;
        }
        return switch (in.current()) {
            case '"' -> in.readString();
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f' -> rawScalar(in);
            default -> throw new IllegalArgumentException("field '" + path(field, index, name) + "' is "
                    + kind(in.current()) + ", expected a string");
        };
    }

    /** Whether the value is {@code null}, then read; a word starting with 'n' that is not {@code null} is an error. */
    private boolean isNull(JSONReader in) {
        if (in.current() != 'n') {
            return false;
        }
        if (!in.nextIfNull()) {
            throw invalid("not a value at 'n'");
        }
        return true;
    }

    /** A number or boolean as written: the library checks and skips it, the text is the bytes it took. */
    private String rawScalar(JSONReader in) {
        int from = in.getOffset() - 1; // the library's offset is past its current character
        in.skipValue();
        int to = from;
        while (to < start + length && isScalarByte(json[to])) {
            to++;
        }
        return new String(json, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean isScalarByte(byte b) {
        return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '-' || b == '+'
                || b == '.';
    }

    private long number(JSONReader in, String field) {
        char c = in.current();
        if (c == '"') {
            String text = in.readString();
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field '" + field + "' is '" + text + "', expected a number", e);
            }
        }
        if (isNull(in)) {
            return 0;
        }
        if (c == '-' || c >= '0' && c <= '9') {
            String text = rawScalar(in);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field '" + field + "' is " + text + ", expected a whole number", e);
            }
        }
        throw new IllegalArgumentException("field '" + field + "' is " + kind(c) + ", expected a number");
    }

    private boolean bool(JSONReader in, String field) {
        char c = in.current();
        if (c == 't' || c == 'f') {
            return in.readBoolValue();
        }
        if (isNull(in)) {
            return false;
        }
        throw new IllegalArgumentException("field '" + field + "' is " + kind(c) + ", expected true or false");
    }

    /** {@code data} or {@code old}: an array of objects; rows with the same columns share one names array. */
    private @Nullable List<FlatRecord.Image> images(JSONReader in, String field) {
        if (isNull(in)) {
            return null;
        }
        expect(in, '[', field);
        in.nextIfArrayStart();
        List<FlatRecord.Image> images = new ArrayList<>();
        String[] shared = null;
        while (!in.nextIfArrayEnd()) {
            if (in.current() != '{') {
                throw new IllegalArgumentException("field '" + path(field, images.size(), null) + "' is "
                        + kind(in.current()) + ", expected an object");
            }
            in.nextIfObjectStart();
            rowNames.clear();
            int values = 0;
            while (!in.nextIfObjectEnd()) {
                String name = name(in);
                rowNames.add(name);
                if (values == rowValues.length) {
                    rowValues = Arrays.copyOf(rowValues, values * 2);
                }
                rowValues[values++] = text(in, field, images.size(), name);
                separated(in, '}');
            }
            String[] names = sameNames(shared, rowNames) ? shared : rowNames.toArray(new String[0]);
            if (shared == null) {
                shared = names;
            }
            images.add(new FlatRecord.Image(names, Arrays.copyOf(rowValues, values)));
            separated(in, ']');
        }
        return images;
    }

    private static boolean sameNames(String @Nullable [] names, List<String> row) {
        if (names == null || names.length != row.size()) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            String name = row.get(i);
            if (names[i] != name && !names[i].equals(name)) {
                return false;
            }
        }
        return true;
    }

    private static String path(String field, int index, @Nullable String name) {
        return field + (index >= 0 ? "[" + index + "]" : "") + (name == null ? "" : "." + name);
    }

    private static void expect(JSONReader in, char expected, String field) {
        if (in.current() != expected) {
            throw new IllegalArgumentException("field '" + field + "' is " + kind(in.current()) + ", expected "
                    + (expected == '[' ? "an array" : "an object"));
        }
    }

    /** What a value starting with {@code c} is, for error messages. */
    private static String kind(char c) {
        return switch (c) {
            case '{' -> "an object";
            case '[' -> "an array";
            case '"' -> "a string";
            case '\'' -> "a single-quoted string (JSON takes double quotes)";
            case 't', 'f' -> "a boolean";
            case 'n' -> "null";
            default -> c == '-' || c >= '0' && c <= '9' ? "a number" : "'" + c + "'";
        };
    }

    private IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("not valid JSON (" + why + ")" + preview());
    }

    /** The library's message without the copy of the whole message it appends. */
    private static String reason(JSONException e) {
        String message = String.valueOf(e.getMessage());
        int line = message.indexOf(", line ");
        return line < 0 ? message : message.substring(0, line);
    }

    private String preview() {
        int shown = Math.min(length, 60);
        StringBuilder text = new StringBuilder(": starts with ");
        for (int i = start; i < start + shown; i++) {
            char c = (char) (json[i] & 0xff);
            text.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", json[i] & 0xff));
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

        /**
         * The schema this shape describes: columns from the 'c' entries, primary key from the 'k' entries. Built once
         * per shape, so columns Canal damages are named in the log once per shape too.
         */
        TableSchema schema(String source, @Nullable String database, @Nullable String table, Set<String> warned) {
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
            CanalDamagedColumns.warnOf(source, database + "." + table, names, types, warned);
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
